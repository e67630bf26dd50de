#include "tracer/map_batch.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "util/failure.h"

namespace iotrace {
namespace {

constexpr int kENOTSUPP = 524;  // the kernel's own "operation not supported"

bool percpu(bpf_map_type t) {
    return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

bool unsupported(int err) { return err == -EINVAL || err == -EOPNOTSUPP || err == -kENOTSUPP; }

[[noreturn]] void fail(const bpf_map* map, const char* what, int err) {
    throw Failure(std::string("cannot ") + what + " the BPF map " + bpf_map__name(map) + ": " +
                  std::strerror(err < 0 ? -err : err));
}

// The old way: get_next_key, then a lookup, per entry.
void walk_by_key(bpf_map* map, const std::function<bool(const void*, const void*)>& fn) {
    const size_t ksz = bpf_map__key_size(map), vsz = value_bytes(map);
    std::vector<unsigned char> cur(ksz), next(ksz), val(vsz);
    const void* prev = nullptr;
    while (bpf_map__get_next_key(map, prev, next.data(), ksz) == 0) {
        if (bpf_map__lookup_elem(map, next.data(), ksz, val.data(), vsz, 0) == 0 && !fn(next.data(), val.data()))
            return;
        cur = next;
        prev = cur.data();
    }
}

}  // namespace

size_t value_bytes(const bpf_map* map) {
    size_t v = bpf_map__value_size(map);
    if (percpu(bpf_map__type(map))) v = ((v + 7) & ~size_t{7}) * static_cast<size_t>(libbpf_num_possible_cpus());
    return v;
}

void for_each_entry(bpf_map* map, const std::function<bool(const void* key, const void* value)>& fn) {
    const size_t ksz = bpf_map__key_size(map), vsz = value_bytes(map);
    // about 1 MiB of values per call; a hash batch returns whole buckets, so
    // a bucket bigger than the batch (ENOSPC) doubles it
    size_t n = std::clamp<size_t>((size_t{1} << 20) / (ksz + vsz), 16, 4096);
    std::vector<unsigned char> keys, vals;
    // the batch token: a bucket index (hash maps) or the last key (arrays)
    alignas(8) unsigned char in[64] = {}, out[64] = {};
    bool first = true;
    for (;;) {
        keys.resize(n * ksz);
        vals.resize(n * vsz);
        __u32 count = static_cast<__u32>(n);
        LIBBPF_OPTS(bpf_map_batch_opts, opts);
        int err = bpf_map_lookup_batch(bpf_map__fd(map), first ? nullptr : in, out, keys.data(), vals.data(), &count,
                                       &opts);
        if (err < 0 && err != -ENOENT) {
            if (err == -ENOSPC && count == 0 && n < (size_t{1} << 16)) {
                n *= 2;
                continue;
            }
            if (first && unsupported(err)) return walk_by_key(map, fn);
            fail(map, "read", err);
        }
        for (__u32 i = 0; i < count; ++i)
            if (!fn(keys.data() + i * ksz, vals.data() + i * vsz)) return;
        if (err == -ENOENT) return;  // the end of the map
        std::memcpy(in, out, sizeof in);
        first = false;
    }
}

uint64_t count_entries(bpf_map* map) {
    uint64_t n = 0;
    for_each_entry(map, [&n](const void*, const void*) {
        ++n;
        return true;
    });
    return n;
}

void delete_keys(bpf_map* map, const std::vector<unsigned char>& keys) {
    const size_t ksz = bpf_map__key_size(map);
    const size_t total = keys.size() / ksz;
    size_t done = 0;
    while (done < total) {
        __u32 count = static_cast<__u32>(total - done);
        LIBBPF_OPTS(bpf_map_batch_opts, opts);
        int err = bpf_map_delete_batch(bpf_map__fd(map), keys.data() + done * ksz, &count, &opts);
        if (err == 0) return;
        done += count;  // deleted before the key that failed
        if (err == -ENOENT) {
            ++done;  // that key was gone already (the kernel side deletes too)
            continue;
        }
        if (!unsupported(err)) fail(map, "delete from", err);
        for (; done < total; ++done) bpf_map__delete_elem(map, keys.data() + done * ksz, ksz, 0);
    }
}

}  // namespace iotrace
