// The liquidation map's files (liqmap_map.png, liquidation_map.csv) and the per-venue output
// sub-folders (venues/<name>/), as entries for the atomic output writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "liquidation_map/liquidation_map.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::app {

// liquidation_map.csv always, liqmap_map.png when `png` (and built with Cairo). `title` names
// the view in the picture.
std::vector<detail::OutputFile> liquidation_map_outputs(std::shared_ptr<const map::LiquidationMap> map,
                                                        const std::string& title, bool png);

// The same files under "<folder>/".
std::vector<detail::OutputFile> in_folder(std::vector<detail::OutputFile> files, const std::string& folder);

}  // namespace liqmap::app
