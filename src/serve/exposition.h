// What `iotrace serve` answers a scrape with: the metrics of a diagnosed
// snapshot and of iotrace itself, in the Prometheus text format or
// OpenMetrics. Pure: no clock, no /proc, no kernel; the caller measures
// what SelfMetrics holds. Every metric is defined in docs/prometheus.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/map_occupancy.h"
#include "model/snapshot.h"
#include "serve/exposition_format.h"
#include "serve/label_sets.h"
#include "serve/metric_family.h"

namespace iotrace {

// Facts about iotrace itself at this scrape.
struct SelfMetrics {
    uint64_t traced_processes = 0;  // processes the kernel side traces now
    // Label sets of exited processes dropped before their grace period
    // ended, because more than the cap were waiting (cumulative.h).
    uint64_t label_sets_expired_early = 0;
    std::vector<MapOccupancy> maps;  // the kernel maps' occupancy (Tracer::map_occupancy)
    double scrape_duration_s = 0;   // this scrape, from its request to the snapshot diagnosed
    // The standard process_* metrics of exporters, when the caller read them.
    std::optional<uint64_t> resident_bytes;  // process_resident_memory_bytes
    std::optional<double> cpu_seconds;       // process_cpu_seconds_total (user + system)
    std::optional<double> start_time_s;      // process_start_time_seconds (since the epoch)
};

// The families, in the order they are written: per label set (label_sets.h)
// the figures, the wait duration histograms, the model state set and the
// findings; then iotrace's own. A figure this kernel did not let iotrace
// count (src/model/unavailable.h) has no sample: absent, never 0.
std::vector<MetricFamily> metric_families(const Snapshot& diagnosed, const LabelSetOptions& opt,
                                          const SelfMetrics& self);

// metric_families written in `format` (render.h).
std::string render_metrics(const Snapshot& diagnosed, const LabelSetOptions& opt, const SelfMetrics& self,
                           ExpositionFormat format);

}  // namespace iotrace
