#include "app/map_outputs.hpp"

#include <fstream>

#include "liqmap/error.hpp"
#include "report/liquidation_map_png.hpp"
#include "report/report.hpp"

namespace liqmap::app {

std::vector<detail::OutputFile> liquidation_map_outputs(std::shared_ptr<const map::LiquidationMap> map,
                                                        const std::string& title, bool png) {
  std::vector<detail::OutputFile> files;
  files.push_back({"liquidation_map.csv", [map](const std::string& path, const detail::CancelFn&) {
                     std::ofstream out(path, std::ios::binary);
                     out << map::liquidation_map_csv(*map);
                     if (!out.flush()) throw Error(ErrorCode::io, "cannot write '" + path + "'");
                   }});
  if (png && report::can_render_png())
    files.push_back({"liqmap_map.png", [map, title](const std::string& path, const detail::CancelFn& cancelled) {
                       report::render_liquidation_map_png(path, *map, title, cancelled);
                     }});
  return files;
}

std::vector<detail::OutputFile> in_folder(std::vector<detail::OutputFile> files, const std::string& folder) {
  for (detail::OutputFile& f : files) f.name = folder + "/" + f.name;
  return files;
}

}  // namespace liqmap::app
