// The margin schedules compiled in from data/schedules/*.json (generated source).
#pragma once

#include <vector>

namespace liqmap::detail {

struct EmbeddedSchedule {
  const char* name;
  const char* json;
};

const std::vector<EmbeddedSchedule>& embedded_schedules();

}  // namespace liqmap::detail
