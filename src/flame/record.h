// The tracer's recording (src/flame/recording.h) to the builder's cells
// (src/flame/cell.h): each kernel cell gets its process frame (grouped like
// the report unless --per-process), its thread's comm, the IO model the
// diagnosis of the same snapshot names for the thread (else the process),
// and its fd kind's name; plus, as notes, whatever kept the weights from
// being the report's (calls lost, stacks not recorded, binaries whose
// stacks are truncated).
#pragma once

#include <string>
#include <vector>

#include "flame/build.h"
#include "flame/cell.h"
#include "flame/recording.h"
#include "flame/symbolize.h"
#include "model/snapshot.h"

namespace iotrace::flame {

// user_stack_id of a cell whose stack the kernel could not record:
// kStackNotRecorded + the error (EEXIST, ENOMEM, EFAULT).
inline constexpr int64_t kStackNotRecorded = int64_t(1) << 40;

struct FlameInput {
    std::vector<FlameCell> cells;
    std::vector<std::string> notes;  // for Profile::notes and stderr
};

// raw: the tracer's snapshot, ungrouped; shown: the same, grouped unless
// per_process, and diagnosed (the models).
FlameInput cells_from_recording(const Recording& rec, const Snapshot& raw, const Snapshot& shown, bool per_process);

// The builder's symbolizer over sym: frames root first, "[user stack not
// recorded]" for a stack the kernel could not keep.
StackSymbolizer stack_symbolizer(Symbolizer& sym);

// Per binary: when most of the calls (by cells' calls) whose stacks end in
// it (its frame is the outermost one that maps to a file, thread entry
// functions aside) have stacks of 1 or 2 frames, "stacks of BINARY are
// truncated: built without frame pointers (...)". A short stack that ends
// in a shared library (a libc wrapper whose caller's chain was lost) counts
// for the process's executable. Cells without a recorded stack are not
// counted.
std::vector<std::string> truncation_notes(const std::vector<FlameCell>& cells, Symbolizer& sym);

}  // namespace iotrace::flame
