// A live model on disk: "LIQMAPST", a format version, the payload's size and CRC-32, then the
// payload (the config as JSON, then every array with its length). Loading checks all of it
// before a value is used, so a truncated, foreign or damaged file is refused, never half-read.
#include <cstring>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>
#include <type_traits>

#if defined(LIQMAP_HAVE_ZLIB)
#include <zlib.h>
#endif

#include "live/live_model.hpp"
#include "liqmap/error.hpp"

namespace liqmap::live {
namespace {

constexpr char kMagic[8] = {'L', 'I', 'Q', 'M', 'A', 'P', 'S', 'T'};
constexpr std::uint32_t kVersion = 1;

class Writer {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  template <class T, class A>
  void put(const std::vector<T, A>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put(std::uint64_t(values.size()));
    if (!values.empty()) bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void put(const std::string& text) {
    put(std::uint64_t(text.size()));
    bytes_ += text;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class Reader {
 public:
  Reader(const std::string& bytes, const std::string& origin) : bytes_(bytes), origin_(origin) {}
  template <class T>
  void get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof value);
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
  }
  template <class T, class A>
  void get(std::vector<T, A>& values) {
    std::uint64_t n = 0;
    get(n);
    if (n > (bytes_.size() - at_) / sizeof(T)) fail("an array is longer than the file");
    values.resize(n);
    if (n > 0) std::memcpy(values.data(), bytes_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
  }
  void get(std::string& text) {
    std::uint64_t n = 0;
    get(n);
    need(n);
    text.assign(bytes_.data() + at_, n);
    at_ += n;
  }
  bool done() const { return at_ == bytes_.size(); }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::input, origin_ + ": not a usable live state (" + what + ")");
  }

 private:
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - at_) fail("it ends early");
  }
  const std::string& bytes_;
  std::string origin_;
  std::size_t at_ = 0;
};

std::uint32_t crc_of(const std::string& bytes) {
#if !defined(LIQMAP_HAVE_ZLIB)
  std::uint32_t crc = 0xFFFFFFFFu;  // CRC-32 (IEEE), bit by bit: zlib's value, slower
  for (const char c : bytes) {
    crc ^= std::uint8_t(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
#else
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* data = reinterpret_cast<const Bytef*>(bytes.data());
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1u << 30);
    crc = crc32(crc, data + at, uInt(n));
    at += n;
  }
  return std::uint32_t(crc);
#endif
}

// Every field in one order, for writing and reading alike.
template <class Io, class Model>
void fields(Io& io, Model& m, detail::Plan& plan, detail::FlowInputs& fi, detail::FlowSolution& flow,
            detail::SurvivalTrack& survival) {
  io.get_or_put(m.oi_flow), io.get_or_put(m.has_volume), io.get_or_put(m.ts);
  // The plan: positions, axes, candles (its flow arrays live in the flow solution).
  io.get_or_put(plan.steps), io.get_or_put(plan.samples_per_step), io.get_or_put(plan.seed),
      io.get_or_put(plan.entry_mode), io.get_or_put(plan.size_median), io.get_or_put(plan.size_sigma);
  io.get_or_put(plan.open), io.get_or_put(plan.low), io.get_or_put(plan.high), io.get_or_put(plan.close);
  io.get_or_put(plan.same_bar), io.get_or_put(plan.long_share), io.get_or_put(plan.flow_source);
  io.get_or_put(plan.warmup_steps), io.get_or_put(plan.warmup_scale), io.get_or_put(plan.notes);
  io.get_or_put(plan.tier_leverage), io.get_or_put(plan.tier_weight), io.get_or_put(plan.exchanges),
      io.get_or_put(plan.brackets), io.get_or_put(plan.active_steps);
  io.get_or_put(plan.bins), io.get_or_put(plan.edges), io.get_or_put(plan.axes.scale),
      io.get_or_put(plan.axes.price_min), io.get_or_put(plan.axes.price_max), io.get_or_put(plan.axes.price_edges),
      io.get_or_put(plan.axes.price_centres), io.get_or_put(plan.time_group), io.get_or_put(plan.fixed_scale),
      io.get_or_put(plan.sigma_price_bins), io.get_or_put(plan.sigma_time_steps);
  io.get_or_put(fi.steps), io.get_or_put(fi.warmup_steps), io.get_or_put(fi.oi_usd), io.get_or_put(fi.traded_usd),
      io.get_or_put(fi.decay), io.get_or_put(fi.long_share), io.get_or_put(fi.tier_weight), io.get_or_put(fi.turnover);
  io.get_or_put(flow.opened), io.get_or_put(flow.step_factor), io.get_or_put(flow.alive),
      io.get_or_put(flow.liquidated[0]), io.get_or_put(flow.liquidated[1]), io.get_or_put(flow.warmup_scale);
  io.get_or_put(survival.mantissa), io.get_or_put(survival.exponent), io.get_or_put(survival.wipes);
  io.get_or_put(m.liquidated[0]), io.get_or_put(m.liquidated[1]), io.get_or_put(m.totals),
      io.get_or_put(m.opened_total), io.get_or_put(m.survival_constant);
  io.get_or_put(m.heaps->side[0]), io.get_or_put(m.heaps->side[1]);
  io.get_or_put(m.h), io.get_or_put(m.running), io.get_or_put(m.columns), io.get_or_put(m.columns_h);
}

struct PutIo {
  Writer& w;
  template <class T>
  void get_or_put(const T& v) { w.put(v); }
  void get_or_put(const std::vector<std::string>& texts) {
    w.put(std::uint64_t(texts.size()));
    for (const std::string& t : texts) w.put(t);
  }
};
struct GetIo {
  Reader& r;
  template <class T>
  void get_or_put(T& v) { r.get(v); }
  void get_or_put(std::vector<std::string>& texts) {
    std::uint64_t n = 0;
    r.get(n);
    if (n > 1u << 20) r.fail("too many notes");
    texts.resize(n);
    for (std::string& t : texts) r.get(t);
  }
};

}  // namespace

// The private fields by reference, so that one list (fields) writes and reads them.
struct LiveModelFields {
  bool& oi_flow;
  bool& has_volume;
  std::vector<std::int64_t>& ts;
  std::vector<std::int64_t>* liquidated;
  model::ScatterTotals& totals;
  double& opened_total;
  bool& survival_constant;
  AliveHeaps* heaps;
  std::vector<double>& h;
  std::vector<std::int64_t>& running;
  std::vector<double> columns, columns_h;  // ColumnStore::flat
};

void LiveModel::save(std::ostream& out) const {
  LiveModel& m = const_cast<LiveModel&>(*this);  // the writer only reads
  LiveModelFields f{m.oi_flow_, m.has_volume_, m.ts_, m.liquidated_fixed_, m.totals_, m.opened_total_,
                    m.survival_constant_, &m.heaps_, m.h_, m.running_, m.columns_.flat(), m.columns_h_.flat()};
  Writer w;
  w.put(config_to_json(config_));
  PutIo io{w};
  fields(io, f, m.plan_, m.flow_in_, m.flow_, m.survival_);
  const std::string& payload = w.bytes();
  out.write(kMagic, sizeof kMagic);
  const std::uint32_t version = kVersion, crc = crc_of(payload);
  const std::uint64_t size = payload.size();
  out.write(reinterpret_cast<const char*>(&version), sizeof version);
  out.write(reinterpret_cast<const char*>(&size), sizeof size);
  out.write(reinterpret_cast<const char*>(&crc), sizeof crc);
  out.write(payload.data(), std::streamsize(payload.size()));
}

LiveModel LiveModel::load(std::istream& in, const std::string& origin) {
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t header = sizeof kMagic + 4 + 8 + 4;
  const auto refuse = [&](const std::string& why) -> LiveModel {
    throw Error(ErrorCode::input, origin + ": not a usable live state (" + why + ")");
  };
  if (file.size() < header || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0)
    return refuse("not a liqmap state file");
  std::uint32_t version = 0, crc = 0;
  std::uint64_t size = 0;
  std::memcpy(&version, file.data() + 8, 4);
  std::memcpy(&size, file.data() + 12, 8);
  std::memcpy(&crc, file.data() + 20, 4);
  if (version != kVersion)
    return refuse("format version " + std::to_string(version) + ", this liqmap reads version " +
                  std::to_string(kVersion) + ": compute the state again");
  if (size != file.size() - header) return refuse("it is truncated or has bytes past its end");
  const std::string payload = file.substr(header);
  if (crc_of(payload) != crc) return refuse("its checksum does not match: the file is damaged");

  LiveModel m;
  Reader r(payload, origin);
  std::string config_json;
  r.get(config_json);
  m.config_ = parse_config(config_json, origin + " (config)");
  LiveModelFields f{m.oi_flow_, m.has_volume_, m.ts_, m.liquidated_fixed_, m.totals_, m.opened_total_,
                    m.survival_constant_, &m.heaps_, m.h_, m.running_, {}, {}};
  GetIo io{r};
  fields(io, f, m.plan_, m.flow_in_, m.flow_, m.survival_);
  if (!r.done()) return refuse("bytes left after the last field");
  const std::size_t cells = 2 * std::size_t(std::max(m.plan_.bins, 0));
  if (cells == 0 || f.columns.size() % cells != 0 || (!f.columns_h.empty() && f.columns_h.size() != f.columns.size()))
    return refuse("its columns do not fit its price bins");
  m.columns_.assign(cells, f.columns);
  m.columns_h_.assign(cells, f.columns_h);
  // The shapes every later step relies on.
  const std::size_t steps = m.ts_.size(), rows = 2 * std::size_t(std::max(m.plan_.bins, 0));
  const bool shaped = steps > 0 && m.plan_.bins > 0 && m.plan_.edges.size() == std::size_t(m.plan_.bins) + 1 &&
                      m.plan_.open.size() == steps && m.plan_.low.size() == steps && m.plan_.high.size() == steps &&
                      m.plan_.close.size() == steps && m.plan_.long_share.size() == steps &&
                      m.flow_.opened.size() == steps && m.flow_.step_factor.size() == steps &&
                      m.survival_.mantissa.size() == steps && m.survival_.exponent.size() == steps &&
                      m.survival_.wipes.size() == steps && m.flow_in_.oi_usd.size() == steps &&
                      m.flow_in_.traded_usd.size() == steps && m.flow_in_.decay.size() == steps &&
                      m.flow_in_.long_share.size() == steps && m.liquidated_fixed_[0].size() == steps &&
                      m.liquidated_fixed_[1].size() == steps && m.h_.size() == rows && m.running_.size() == rows &&
                      m.plan_.time_group > 0 && m.columns_.columns() == steps / std::size_t(m.plan_.time_group) &&
                      (!m.oi_flow_ || (m.flow_.alive.size() == steps && m.flow_.liquidated[0].size() == steps &&
                                       m.flow_.liquidated[1].size() == steps)) &&
                      m.plan_.tier_leverage.size() == m.plan_.tier_weight.size() && !m.plan_.exchanges.empty();
  if (!shaped) return refuse("its arrays do not fit together");
  for (int side = 0; side < 2; ++side)
    for (const AlivePosition& p : m.heaps_.side[side])
      if (!(p.price > 0) || p.t0 < 0 || std::size_t(p.t0) >= steps || p.bin < -1 || p.bin >= m.plan_.bins ||
          p.tier < 0 || std::size_t(p.tier) >= m.plan_.tier_leverage.size() || p.exchange < 0 ||
          std::size_t(p.exchange) >= m.plan_.exchanges.size())
        return refuse("a position's fields are out of range");
  m.plan_.steps = std::int64_t(steps);
  m.delta_.assign(rows, 0);
  m.column_.assign(rows, 0.0);
  for (auto& heap : m.heaps_.side) heap.reserve(heap.size() + heap.size() / 4 + (1u << 16));  // appends do not copy it soon
  return m;
}

}  // namespace liqmap::live
