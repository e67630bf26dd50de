// TopState::key(): what each key does, by mode (filter prompt, column
// chooser, help, detail pane, the table).
#include <algorithm>

#include "top/keys.h"
#include "top/top_state.h"

namespace iotrace {
namespace {

bool is_enter(int k) { return k == '\n' || k == '\r' || k == keys::kEnter; }
bool is_backspace(int k) { return k == keys::kBackspace || k == 127 || k == 8; }

// How far a movement key moves (the selection, or a pane's scroll); 0 for
// other keys. `all`: past either end.
long movement(int k, long page, long all) {
    switch (k) {
    case keys::kUp: return -1;
    case keys::kDown: return 1;
    case keys::kPageUp: return -page;
    case keys::kPageDown: return page;
    case keys::kHome: return -all;
    case keys::kEnd: return all;
    default: return 0;
    }
}

}  // namespace

Action TopState::key(int k) {
    if (k == keys::kResize) return Action::Redraw;
    if (k == keys::kCtrlC) return Action::Quit;
    if (editing_filter_) return key_filter(k);
    if (choosing_) return key_chooser(k);
    if (help_ || detail_) {
        if (long d = movement(k, page_rows(), last_pane_lines_ + 1)) {
            scroll_pane(static_cast<int>(d));
            return Action::Redraw;
        }
    }
    if (help_) {
        if (k == 'q') return Action::Quit;
        help_ = false;  // any other key closes it
        detail_scroll_ = 0;
        return Action::Redraw;
    }
    if (detail_) {
        switch (k) {
        case keys::kEscape:
        case keys::kLeft:
            detail_ = false;
            detail_scroll_ = 0;
            return Action::Redraw;
        case 'q': return Action::Quit;
        case '?':
            help_ = true;
            detail_scroll_ = 0;
            return Action::Redraw;
        case 'p':
        case ' ': toggle_pause(); return Action::Redraw;
        default: return Action::None;
        }
    }
    return key_main(k);
}

void TopState::scroll_pane(int delta) {
    int most = std::max(0, last_pane_lines_ - page_rows());
    detail_scroll_ = std::clamp(detail_scroll_ + delta, 0, most);
}

void TopState::toggle_pause() {
    set_paused(!paused_);
    if (!paused_) refresh_shown(true);
}

void TopState::resort_now() {
    sort_rows(frame_rows_);
    refresh_shown(true);
    hold_ = 0;  // asked for: no reason to wait
}

Action TopState::key_main(int k) {
    if (long d = movement(k, page_rows(), static_cast<long>(shown_.size()))) {
        move_selection(d);
        return Action::Redraw;
    }
    switch (k) {
    case 'q':
    case 'Q': return Action::Quit;
    case '<':
    case '>': {
        size_t c = static_cast<size_t>(sort_);
        c = k == '>' ? (c + 1) % kColCount : (c + kColCount - 1) % kColCount;
        sort_ = static_cast<Col>(c);
        resort_now();
        return Action::Redraw;
    }
    case keys::kF6:
        choosing_ = true;
        chooser_sel_ = static_cast<size_t>(sort_);
        return Action::Redraw;
    case 'R':
        reverse_ = !reverse_;
        resort_now();
        return Action::Redraw;
    case '/':
        editing_filter_ = true;
        return Action::Redraw;
    case keys::kEscape:
        if (filter_.empty()) return Action::None;
        filter_.clear();
        refresh_shown(true);
        return Action::Redraw;
    case 'p':
    case ' ': toggle_pause(); return Action::Redraw;
    case 'H': {
        threads_ = !threads_;
        lingering_.clear();  // rows of the other kind
        rebuild_rows();
        if (paused_) set_paused(true);  // the paused view shows the other kind of row, as of the last frame
        refresh_shown(true);
        return Action::Redraw;
    }
    case '?':
        help_ = true;
        detail_scroll_ = 0;
        return Action::Redraw;
    default:
        if (is_enter(k) || k == keys::kRight) {
            if (shown_.empty()) return Action::None;
            detail_ = true;
            detail_scroll_ = 0;
            return Action::Redraw;
        }
        return Action::None;
    }
}

Action TopState::key_filter(int k) {
    if (k == keys::kEscape) {
        editing_filter_ = false;
        filter_.clear();
    } else if (is_enter(k)) {
        editing_filter_ = false;
        return Action::Redraw;
    } else if (is_backspace(k)) {
        if (!filter_.empty()) filter_.pop_back();
    } else if (k >= 0x20 && k < 0x7F) {
        filter_ += static_cast<char>(k);
    } else {
        return Action::None;
    }
    refresh_shown(true);
    return Action::Redraw;
}

Action TopState::key_chooser(int k) {
    const long last = static_cast<long>(kColCount) - 1;
    if (long d = movement(k, page_rows(), last + 1)) {
        chooser_sel_ = static_cast<size_t>(std::clamp(static_cast<long>(chooser_sel_) + d, 0L, last));
    } else if (is_enter(k)) {
        choosing_ = false;
        sort_ = static_cast<Col>(chooser_sel_);
        resort_now();
    } else if (k == keys::kEscape || k == keys::kLeft || k == keys::kF6) {
        choosing_ = false;
    } else if (k == 'q') {
        return Action::Quit;
    } else {
        return Action::None;
    }
    return Action::Redraw;
}

}  // namespace iotrace
