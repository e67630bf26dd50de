// The table's columns: titles, widths, which to drop first when the screen
// is narrow, how a cell reads, how rows compare. Shared by the screen and
// the batch text.
#pragma once

#include <string>
#include <vector>

#include "top/row.h"

namespace iotrace {

struct ColumnInfo {
    Col id;
    const char* title;     // as the table heads it
    const char* key;       // the JSON lines' name of the figure ("waits_per_s"); "" for text columns
    const char* meaning;   // one line, for the help screen
    int width;             // at most (text columns: a longer text is cut)
    int min_width;         // a narrow screen shrinks a text column to this first
    int drop;              // 0: always shown; a narrow screen drops the highest first
    bool numeric;          // right-aligned, sorted biggest first
};

const ColumnInfo& column_info(Col c);
const std::vector<ColumnInfo>& all_columns();  // in table order

// One column as laid out: where it starts and how wide it is.
struct Placed {
    Col id;
    int x;
    int width;
};

// The columns that fit `cols` screen columns: dropped by priority (the
// sort column is kept), then text columns widened back from their minimum,
// FINDING taking what is left. A space between columns.
std::vector<Placed> fit_columns(int cols, Col sort);
// Every column at its full width (the batch text).
std::vector<Placed> all_columns_placed();

// A cell's text, not padded: "12.3k", "-", "n/a", "epoll-et*".
std::string cell_text(const Row& r, Col c);
// The title line and a row's line for a layout, each exactly as wide as
// the layout (the last column not padded when pad_last is false).
std::string title_line(const std::vector<Placed>& cols, bool pad_last = true);
std::string row_line(const Row& r, const std::vector<Placed>& cols, bool pad_last = true);

// A table model label: "epoll-et", "epoll-lt/os" (EPOLLONESHOT), with "*"
// when the confidence is low; "-" before a diagnosis.
std::string short_model(const Row& r);

// Whether a sorts before b for column c: numbers biggest first, text A to
// Z, PID lowest first; reverse flips that, "-" and "n/a" stay last either
// way; ties by pid, then tid.
bool row_before(const Row& a, const Row& b, Col c, bool reverse);

// "biggest first", "lowest first", "A to Z", "Z to A": the order row_before gives.
const char* sort_direction(Col c, bool reverse);

// Rates and ratios in at most 6 characters: "0.50", "12.3", "1234", "12.3k", "4.56M".
std::string compact_number(double v);

}  // namespace iotrace
