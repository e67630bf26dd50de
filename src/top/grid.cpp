#include "top/grid.h"

#include <algorithm>

namespace iotrace {
namespace {

// The next code point of s from i (advanced); U+FFFD for a malformed byte.
char32_t next_code_point(std::string_view s, size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i++]);
    if (c < 0x80) return c;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (more < 0 || c >= 0xF8) return U'\uFFFD';
    char32_t cp = c & (0x3F >> more);
    for (int k = 0; k < more; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return U'\uFFFD';
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    }
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

Grid::Grid(int rows, int cols)
    : rows_(std::max(rows, 0)),
      cols_(std::max(cols, 0)),
      cells_(static_cast<size_t>(rows_) * cols_, U' '),
      attrs_(static_cast<size_t>(rows_) * cols_, kAttrNormal) {}

int Grid::put(int row, int col, std::string_view utf8, uint8_t attr) {
    if (row < 0 || row >= rows_) return col;
    size_t i = 0;
    while (i < utf8.size() && col < cols_) {
        char32_t cp = next_code_point(utf8, i);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) cp = U'?';
        if (col >= 0) {
            cells_[index(row, col)] = cp;
            attrs_[index(row, col)] = attr;
        }
        ++col;
    }
    return col;
}

void Grid::set_attr(int row, int col, int n, uint8_t attr) {
    if (row < 0 || row >= rows_) return;
    for (int c = std::max(col, 0); c < std::min(col + n, cols_); ++c) attrs_[index(row, c)] = attr;
}

std::string Grid::text(int row, int col, int n) const {
    std::string out;
    if (row < 0 || row >= rows_) return out;
    for (int c = std::max(col, 0); c < std::min(col + n, cols_); ++c) append_utf8(out, cells_[index(row, c)]);
    return out;
}

std::string Grid::to_string() const {
    std::string out;
    for (int r = 0; r < rows_; ++r) {
        std::string l = line(r);
        l.erase(l.find_last_not_of(' ') + 1);
        out += l;
        out += '\n';
    }
    return out;
}

}  // namespace iotrace
