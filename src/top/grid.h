// What the live view draws, before it reaches a terminal: rows x cols cells,
// each one character (a Unicode code point, one column wide) and its
// attributes. TopState::render() lays the screen out into a Grid, paint()
// (paint.h) copies a Grid to ncurses, and tests read it as text with
// to_string(), at any size, without a terminal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace iotrace {

// Attribute bits of a cell; paint() maps them to A_BOLD, A_REVERSE, ...
enum Attr : uint8_t {
    kAttrNormal = 0,
    kAttrBold = 1,
    kAttrReverse = 2,  // the header bar, the selected row
    kAttrDim = 4,      // lingering rows of exited processes
    kAttrUnderline = 8,
};

class Grid {
public:
    Grid() = default;
    Grid(int rows, int cols);  // blank cells (spaces), no attributes

    int rows() const { return rows_; }
    int cols() const { return cols_; }

    // Writes UTF-8 text at (row, col), clipped at the right edge; returns the
    // column after the last cell written. Out-of-range rows are ignored.
    // Control characters are written as '?'.
    int put(int row, int col, std::string_view utf8, uint8_t attr = kAttrNormal);
    // Sets the attributes of cells [col, col + n) of a row (clipped).
    void set_attr(int row, int col, int n, uint8_t attr);

    char32_t ch(int row, int col) const { return cells_[index(row, col)]; }
    uint8_t attr(int row, int col) const { return attrs_[index(row, col)]; }

    // Cells [col, col + n) of a row as UTF-8 (clipped to the row).
    std::string text(int row, int col, int n) const;
    // One row's text as UTF-8, trailing spaces kept (exactly cols() cells).
    std::string line(int row) const { return text(row, 0, cols_); }
    // Every row as UTF-8, trailing spaces removed, each ending in '\n'.
    std::string to_string() const;

private:
    size_t index(int row, int col) const { return static_cast<size_t>(row) * cols_ + col; }
    int rows_ = 0;
    int cols_ = 0;
    std::vector<char32_t> cells_;
    std::vector<uint8_t> attrs_;
};

}  // namespace iotrace
