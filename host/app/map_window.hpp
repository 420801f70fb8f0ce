// --from/--to: the time window drawn. The engine runs over all the data, so positions opened
// before the window still fill it; only the output columns and rows are cropped to the window.
#pragma once

#include <cstdint>
#include <optional>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"

namespace liqmap::app {

struct StepRange {
  std::size_t first = 0, last = 0;  // inclusive step indices
};

// The steps with from <= ts <= to. Throws Error(input) when none is, naming the bounds as the
// caller knows them (the CLI's --from/--to, the C API's from_ms/to_ms).
StepRange steps_in_window(const Market& market, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                          const char* from_name = "--from", const char* to_name = "--to");

// The default price range (MODEL.md section 5) taken over the window only, where the config
// leaves it open, so the picture fits what is drawn.
void fit_price_range(Config& config, const Market& market, StepRange window);

Market crop_market(const Market& market, StepRange window);
Result crop_result(const Result& result, StepRange window);

}  // namespace liqmap::app
