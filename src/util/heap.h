// The heap of the long-running modes (top, serve): a fork storm's thousands
// of processes fill it, then leave it, and the memory must go back to the
// system afterwards.
#pragma once

namespace iotrace {

// Every thread allocates from the one heap glibc can fully trim. A thread's
// own arena (the housekeeper's, where exited processes' figures are made)
// keeps its top chunk up to glibc's trim threshold, which rises to 64 MiB
// after large frees, and malloc_trim does not release it. CI twice found 36
// and 53 MB more resident after a storm than before (runs here: under 1 MB);
// that was not caught in the act, and this is one way it can happen. Call
// before any thread starts.
void use_one_heap();

// After a refresh or scrape: gives free heap memory back to the system once
// there is much of it (16 MiB), so a storm's peak does not stay resident.
void give_back_free_heap();

}  // namespace iotrace
