// The pictures' PNG files (heatmap.png, liqmap_map.png), from a Cairo RGB24 surface.
// Include only where Cairo is (LIQMAP_HAVE_CAIRO).
#pragma once

#include <cairo.h>

#include <functional>
#include <string>

namespace liqmap::report {

// Encodes with libpng at zlib level 3: Cairo's own writer (zlib's default, level 6) took longer
// than drawing the whole picture, for a file 15% smaller. `cancelled` is polled at each chunk
// the encoder writes: Error(cancelled) and no file. Error(io) naming the path on failure.
void write_png(const std::string& path, cairo_surface_t* surface, const std::function<bool()>& cancelled);

}  // namespace liqmap::report
