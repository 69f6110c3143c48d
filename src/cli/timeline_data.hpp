// timeline_data.hpp: the timeline page's data: the Model as compact JSON (times in microseconds,
// strings in one table, intervals as delta-coded integer columns) so that the page of a
// 20,000-switch run stays small while carrying every interval: the page merges the ones too
// small to see into density bands per zoom level. The structural tests read it back.
#pragma once

#include <nlohmann/json.hpp>

#include "timeline_model.hpp"

namespace vmmsim::command::timeline {

// page_data: the page's "data" object.
nlohmann::json page_data(const Model& model);

}  // namespace vmmsim::command::timeline
