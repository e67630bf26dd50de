// The whole state of iotrace top's view in one object, driven without a
// terminal or a kernel (like bpftop's App): frames in (update), keys in
// (key), a Grid out (render). Scan, sort and draw are separate steps (as in
// htop): update() turns a frame into rows, sorting happens in update() and
// key() (deferred while the user moves, so rows do not jump under the
// cursor), render() only lays out. docs/top.md describes the view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "top/diag_window.h"
#include "top/frame.h"
#include "top/grid.h"
#include "top/rates.h"
#include "top/row.h"
#include "top/user_names.h"

namespace iotrace {

struct TopOptions {
    bool threads = false;           // start with one row per thread (`H`)
    Col sort = Col::Waits;          // start sorted by this column
    bool reverse = false;           // numbers biggest first, text A to Z; reverse flips
    int linger_refreshes = 3;       // refreshes an exited process stays listed, marked
    int resort_hold_refreshes = 2;  // refreshes without re-sorting after a movement key
    double diag_window_s = 5;       // diagnosis over the last 5 to 10 s (docs/top.md)
    UserNames::Lookup user_lookup;  // uid -> name; empty: the passwd database (tests pass their own)
};

// What the driver does after key(): nothing, paint again, or quit.
enum class Action { None, Redraw, Quit };

// The header's figures, for the last update().
struct TopHeader {
    double t_s = 0;         // seconds since tracing started
    double interval_s = 0;  // since the previous frame (the first: since tracing started)
    double wall_time = 0;   // Unix seconds, as passed to update()
    uint64_t traced_processes = 0;
    double self_cpu_pct = 0;
    uint64_t lost_interval = 0;  // events lost in the interval (delta of snap.lost_events())
    uint64_t lost_total = 0;
    size_t processes = 0;  // process rows of the frame (exited ones included)
    size_t exited = 0;     // of those, exited in the interval
    double waits_per_s = 0, wakeups_per_s = 0, recv_per_s = 0, recv_mb_per_s = 0;  // over all processes
    uint64_t refreshes = 0;  // update() calls so far
};

// Unix time now, the default for update()'s wall_time.
double wall_clock_now();

class TopState {
public:
    explicit TopState(TopOptions o = {});

    // A new frame: rates against the previous one, the diagnosis windows
    // moved on, rows rebuilt (unless paused: then the shown rows stay) and
    // re-sorted (unless the user moved within resort_hold_refreshes).
    void update(const TopFrame& frame, double wall_time = wall_clock_now());

    // One key, as getch() returns it (keys.h). Quit for `q` (and Ctrl-C as
    // 3); Redraw when the screen changed; None when the key did nothing.
    Action key(int k);

    // The screen at this size (any size; tiny ones show what fits).
    Grid render(int rows, int cols) const;

    // Read access, for the batch outputs and the tests.
    const TopHeader& header() const { return header_; }
    // The rows of the last update(), sorted; no lingering rows, no filter.
    // Process rows, or thread rows in `H` mode.
    const std::vector<Row>& frame_rows() const { return frame_rows_; }
    // What the table lists, in display order: the filter applied, lingering
    // rows included; while paused, the rows as they were when paused.
    const std::vector<Row>& shown_rows() const { return shown_; }

    Col sort_column() const { return sort_; }
    bool reversed() const { return reverse_; }
    bool threads() const { return threads_; }
    bool paused() const { return paused_; }
    const std::string& filter() const { return filter_; }
    bool editing_filter() const { return editing_filter_; }
    bool detail_open() const { return detail_; }
    bool help_open() const { return help_; }
    bool choosing_column() const { return choosing_; }
    // The selected row's pid and tid (tid 0: a process row); -1 when none.
    int selected_pid() const;
    int selected_tid() const;
    size_t selected_index() const { return sel_; }

    // The window the diagnosis was made on for pid (diagnosed, figures over
    // window_s() seconds), nullptr if it has none.
    const ProcessStats* window_of(int pid) const;
    const DiagWindows& windows() const { return windows_; }

private:
    friend struct TopRender;  // render.cpp, detail.cpp, help.cpp

    void rebuild_rows();
    void sort_rows(std::vector<Row>& rows) const;
    // shown_ from the rows (the paused ones while paused), filtered, sorted
    // (or in their places, resort false), the selection found again.
    void refresh_shown(bool resort);
    void set_paused(bool on);
    void toggle_pause();
    void resort_now();  // after the sort column or order changed
    void select_pid(int pid, int tid);
    void move_selection(long delta);
    Action key_filter(int k);
    Action key_chooser(int k);
    Action key_main(int k);
    int page_rows() const;

    TopOptions opt_;
    RateTracker rates_;
    DiagWindows windows_;
    UserNames users_;
    TopHeader header_;

    std::vector<Row> frame_rows_;   // the last frame's rows, sorted
    std::vector<Row> lingering_;    // exited rows still listed (gone_for > 0)
    std::vector<Row> shown_;        // the table, in display order
    std::vector<Row> paused_rows_;  // frame and lingering rows when paused

    Col sort_;
    bool reverse_;
    bool threads_;
    bool paused_ = false;
    std::string filter_;
    bool editing_filter_ = false;
    bool detail_ = false;
    bool help_ = false;
    bool choosing_ = false;
    size_t chooser_sel_ = 0;
    size_t sel_ = 0;
    int sel_pid_ = -1, sel_tid_ = 0;  // what the selection follows
    int hold_ = 0;                    // refreshes left without re-sorting
    int detail_scroll_ = 0;           // first line of the detail pane or the help shown
    mutable int last_page_rows_ = 20; // table rows at the last render(), for PgUp/PgDn
    mutable size_t scroll_ = 0;       // first table row shown (render keeps the selection in view)
    mutable int last_pane_lines_ = 0; // lines of the detail pane or help at the last render(), to bound scrolling
    void scroll_pane(int delta);
};

}  // namespace iotrace
