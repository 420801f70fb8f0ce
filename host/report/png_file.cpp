// Built in every configuration but compiled only where Cairo is (its header needs cairo.h).
#ifdef LIQMAP_HAVE_CAIRO

#include "png_file.hpp"

#include <png.h>

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "file_io.hpp"
#include "liqmap/error.hpp"

namespace liqmap::report {
namespace {

constexpr int kZlibLevel = 3;

// What libpng's callbacks reach: the bytes so far, and why it stopped. Plain data only, since
// libpng leaves an error by longjmp.
struct Encoding {
  std::vector<unsigned char>* bytes;
  const std::function<bool()>* cancelled;
  bool out_of_memory = false, stopped = false;
  char message[200] = "";
};

void on_error(png_structp png, png_const_charp message) {
  auto* e = static_cast<Encoding*>(png_get_error_ptr(png));
  std::strncpy(e->message, message, sizeof e->message - 1);
  png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

// Polled at each chunk the encoder writes, so that a cancel stops a large picture's encoding.
void on_write(png_structp png, png_bytep data, png_size_t length) {
  auto* e = static_cast<Encoding*>(png_get_io_ptr(png));
  if (*e->cancelled && (*e->cancelled)()) {
    e->stopped = true;
    png_error(png, "cancelled");
  }
  if (e->out_of_memory) return;
  try {
    e->bytes->insert(e->bytes->end(), data, data + length);
  } catch (...) {
    e->out_of_memory = true;  // noticed after png_write_end: no exception through libpng's frames
  }
}
void on_flush(png_structp) {}

// 8-bit RGB rows in, the PNG file's bytes out; false with e.message on failure. Only plain
// locals live across setjmp.
bool encode(const std::vector<png_bytep>& rows, int width, int height, Encoding& e) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e, on_error, on_warning);
  if (!png) return std::strcpy(e.message, "out of memory"), false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return std::strcpy(e.message, "out of memory"), false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &e, on_write, on_flush);
  png_set_compression_level(png, kZlibLevel);
  png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, const_cast<png_bytepp>(rows.data()));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (e.out_of_memory) std::strcpy(e.message, "out of memory");
  return !e.out_of_memory;
}

}  // namespace

void write_png(const std::string& path, cairo_surface_t* surface, const std::function<bool()>& cancelled) {
  cairo_surface_flush(surface);
  const int width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  if (!data || cairo_image_surface_get_format(surface) != CAIRO_FORMAT_RGB24)
    throw Error(ErrorCode::internal, "cannot write '" + path + "': not an RGB24 picture");

  // Cairo keeps a pixel as a native 32-bit 0x00RRGGBB word.
  std::vector<unsigned char> rgb(std::size_t(width) * std::size_t(height) * 3);
  std::vector<png_bytep> rows(static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    const auto* in = reinterpret_cast<const std::uint32_t*>(data + std::size_t(y) * std::size_t(stride));
    unsigned char* out = rows[std::size_t(y)] = rgb.data() + std::size_t(y) * std::size_t(width) * 3;
    for (int x = 0; x < width; ++x, out += 3) {
      out[0] = static_cast<unsigned char>(in[x] >> 16);
      out[1] = static_cast<unsigned char>(in[x] >> 8);
      out[2] = static_cast<unsigned char>(in[x]);
    }
  }
  std::vector<unsigned char> bytes;
  Encoding e{&bytes, &cancelled};
  const bool encoded = encode(rows, width, height, e);
  if (e.stopped || (cancelled && cancelled()))
    throw Error(ErrorCode::cancelled, "cancelled while encoding '" + path + "'");
  if (!encoded) throw Error(ErrorCode::io, "cannot encode '" + path + "': " + e.message);
  std::ofstream out = open_output(path);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  finish_output(out, path);
}

}  // namespace liqmap::report

#endif
