#include "util/heap.h"

#include <malloc.h>

#include <cstddef>

namespace iotrace {

namespace {
constexpr size_t kTrimAbove = 16u << 20;  // free bytes in the heap
}

void use_one_heap() { mallopt(M_ARENA_MAX, 1); }

void give_back_free_heap() {
    if (mallinfo2().fordblks > kTrimAbove) malloc_trim(0);
}

}  // namespace iotrace
