// Whole-map reads and deletes in batches (BPF_MAP_LOOKUP_BATCH,
// BPF_MAP_DELETE_BATCH): a walk of a map of N entries costs a few syscalls,
// not 2N (get_next_key, then lookup, per entry). System-wide, `iotrace top`
// reads every process's counters and every traced fd once per refresh, and
// frees the entries of the processes that exited; the fork storm's harvest
// walks the per-fd maps once per batch of exits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

struct bpf_map;

namespace iotrace {

// Calls fn(key, value) for every entry of map (a hash, or an array from key
// 0 on; fn returns false to stop early). value is what a lookup returns:
// for a per-CPU map, one value per possible CPU, each rounded up to 8 bytes.
// A map whose type has no batch operation on this kernel is walked key by
// key. Entries added or deleted meanwhile may or may not be seen.
void for_each_entry(bpf_map* map, const std::function<bool(const void* key, const void* value)>& fn);

// The entries of map now (a walk: for_each_entry).
uint64_t count_entries(bpf_map* map);

// Deletes these keys (each key_size(map) bytes, back to back); keys already
// gone are skipped.
void delete_keys(bpf_map* map, const std::vector<unsigned char>& keys);

// The bytes of one value as lookups return it (per-CPU maps: every CPU's).
size_t value_bytes(const bpf_map* map);

}  // namespace iotrace
