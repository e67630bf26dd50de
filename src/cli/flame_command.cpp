#include "cli/flame_command.h"

#include <cstdio>
#include <string>
#include <utility>

#include "analysis/diagnose.h"
#include "flame/build.h"
#include "flame/folded.h"
#include "flame/format.h"
#include "flame/output.h"
#include "flame/record.h"
#include "flame/speedscope.h"
#include "flame/svg.h"
#include "flame/symbolize.h"
#include "model/group.h"
#include "report/format.h"
#include "report/json_report.h"
#include "tracer/tracer.h"

namespace iotrace {

void write_flame(const Options& o, Tracer& tracer, Snapshot raw) {
    flame::Recording rec = tracer.flame_recording();
    Snapshot shown = diagnosed(o.per_process ? raw : group_processes(raw));
    if (!o.flame.report.empty()) write_output(o.flame.report, render_json(shown));

    flame::FlameInput in = flame::cells_from_recording(rec, raw, shown, o.per_process);
    flame::Symbolizer symbolizer(rec);
    std::vector<std::string> notes = in.notes;
    if (uint64_t lost = shown.lost_events())
        notes.push_back(group_digits(lost) +
                        " events lost by the tracer (the report's lost_events): calls it could not count");
    if (rec.stacks)
        for (std::string& n : flame::truncation_notes(in.cells, symbolizer)) notes.push_back(std::move(n));

    flame::Weight weight = flame::Weight::Time;
    flame::weight_from_name(o.flame.weight, weight);
    flame::Profile profile =
        flame::build_profile(in.cells, weight, rec.stacks ? flame::stack_symbolizer(symbolizer) : flame::StackSymbolizer{});
    profile.notes.insert(profile.notes.begin(), notes.begin(), notes.end());
    for (const std::string& n : profile.notes) std::fprintf(stderr, "iotrace: %s\n", n.c_str());

    std::optional<flame::Format> requested;
    if (!o.flame.format.empty()) requested = flame::format_from_name(o.flame.format);
    std::string text;
    switch (flame::choose_format(o.output, requested)) {
        case flame::Format::Folded: text = flame::render_folded(profile); break;
        case flame::Format::Svg: text = flame::render_svg(profile); break;
        case flame::Format::Speedscope: text = flame::render_speedscope(profile, IOTRACE_VERSION); break;
    }
    write_output(o.output, text);
}

}  // namespace iotrace
