// The grids' storage (liqmap/result.hpp's GridAllocator): below the engine and the device
// pipelines, which both allocate grids, so no library calls up into another.
#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

#include "liqmap/result.hpp"

namespace liqmap {

namespace detail {
namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
bool on_huge_pages(std::size_t bytes) { return bytes >= 2 * kHugePage; }
std::size_t rounded(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

// Large blocks freed by one stage serve the next stage's grids: on the machines measured, the
// first write to fresh pages (faults plus the kernel's zeroing) costs several times a copy, so
// the smoothed grids reuse the delta grid's pages. One idle block is kept (the largest freed);
// a block is carved into as many grids as fit and becomes idle again when they are all freed.
class BlockCache {
 public:
  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Block& b : blocks_)
      if (b.size - b.used >= bytes) {
        void* p = b.base + b.used;
        b.used += bytes, ++b.live;
        return p;
      }
    return nullptr;
  }
  // False when `p` is not ours and is not kept: the caller frees it.
  bool give_back(void* p, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    char* c = static_cast<char*>(p);
    for (Block& b : blocks_)
      if (c >= b.base && c < b.base + b.size) {
        if (--b.live == 0) b.used = 0;
        trim();
        return true;
      }
    try {
      blocks_.push_back({c, bytes, 0, 0});
    } catch (...) {
      return false;
    }
    trim();
    return true;
  }

 private:
  struct Block {
    char* base;
    std::size_t size, used;
    int live;
  };
  // At most one idle block: the largest.
  void trim() {
    Block* keep = nullptr;
    for (Block& b : blocks_)
      if (b.live == 0 && (!keep || b.size > keep->size)) keep = &b;
    std::vector<Block> kept;
    for (Block& b : blocks_) {
      if (b.live == 0 && &b != keep) std::free(b.base);
      else kept.push_back(b);
    }
    blocks_.swap(kept);
  }
  std::mutex mutex_;
  std::vector<Block> blocks_;
};

BlockCache& block_cache() {
  static BlockCache* cache = new BlockCache;  // never destroyed: grids may outlive static destructors
  return *cache;
}
}  // namespace

void* allocate_grid_values(std::size_t bytes) {
  if (!on_huge_pages(bytes)) return ::operator new(bytes);
  const std::size_t size = rounded(bytes);
  if (void* reused = block_cache().take(size)) return reused;
  void* pointer = std::aligned_alloc(kHugePage, size);
  if (!pointer) throw std::bad_alloc();
  madvise(pointer, size, MADV_HUGEPAGE);  // a hint: fewer page faults and TLB misses
  return pointer;
}

void free_grid_values(void* pointer, std::size_t bytes) noexcept {
  if (!on_huge_pages(bytes)) ::operator delete(pointer);
  else if (!block_cache().give_back(pointer, rounded(bytes))) std::free(pointer);
}
}  // namespace detail

}  // namespace liqmap
