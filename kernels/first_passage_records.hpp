// first_passage_step() for the CPU, where one thread walks the opening steps t0 downwards: the
// same answer (the first t > t0 whose low <= price for a long, whose high >= price for a short,
// else `steps`) from the record lows / highs after t0, kept as a stack. Only comparisons of the
// bars' own values, so it agrees exactly with the sparse-table descent the device uses; it
// replaces that descent's 2 x log2(T) dependent loads from tables larger than the cache by a
// binary search over a few hundred values that stay in L1.
//
// Why it is exact: the first step at or below a price is a record low (a step lower than every
// step between t0 and it), since any earlier step at or below it would come first. The records
// after t0, earliest first, fall strictly; so the ones at or below the price are a suffix and
// the first of them is found by bisection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model_math.hpp"

namespace liqmap::model {

// next_lower[t]: the first t' > t with low[t'] < low[t] (`steps` if none); next_higher alike.
// Built once per run; each thread's cursor starts its walk from them.
struct RecordLinks {
  std::int64_t steps = 0;
  const double* low = nullptr;
  const double* high = nullptr;
  std::vector<std::int64_t> next_lower, next_higher;

  RecordLinks(const double* low_, const double* high_, std::int64_t steps_)
      : steps(steps_), low(low_), high(high_), next_lower(steps_), next_higher(steps_) {
    std::vector<std::int64_t> lower, higher;  // stacks of steps still waiting for their link
    for (std::int64_t t = steps - 1; t >= 0; --t) {
      while (!lower.empty() && low[lower.back()] >= low[t]) lower.pop_back();
      while (!higher.empty() && high[higher.back()] <= high[t]) higher.pop_back();
      next_lower[t] = lower.empty() ? steps : lower.back();
      next_higher[t] = higher.empty() ? steps : higher.back();
      lower.push_back(t);
      higher.push_back(t);
    }
  }
};

// The records after one t0, moved to smaller t0 one call at a time. Stacks hold the latest
// record at the bottom (index 0) and step t0 + 1 on top.
class FirstPassageCursor {
 public:
  FirstPassageCursor(const RecordLinks& links, std::int64_t t0) : links_(&links), t0_(t0) {
    for (std::int64_t t = t0 + 1; t < links.steps; t = links.next_lower[t]) lows_.push(links.low[t], t);
    for (std::int64_t t = t0 + 1; t < links.steps; t = links.next_higher[t]) highs_.push(links.high[t], t);
    lows_.reverse();
    highs_.reverse();
  }

  // To an earlier (or the same) opening step: the steps in between join the records.
  void move_to(std::int64_t t0) {
    for (; t0_ > t0; --t0_) {
      const double low = links_->low[t0_], high = links_->high[t0_];
      while (!lows_.value.empty() && lows_.value.back() >= low) lows_.pop();
      while (!highs_.value.empty() && highs_.value.back() <= high) highs_.pop();
      lows_.push(low, t0_);
      highs_.push(high, t0_);
    }
  }
  std::int64_t t0() const { return t0_; }

  // The records at or beyond the price form a prefix from the bottom; the last of them is the
  // earliest step. A bisection without branches on the data (the outcome is unpredictable).
  std::int64_t first_passage(int side, double price) const {
    const Stack& records = side == kLong ? lows_ : highs_;
    const std::size_t size = records.value.size();
    if (size == 0) return links_->steps;
    const double* base = records.value.data();
    // The bottom record is the lowest low (highest high) after t0: a price it does not reach is
    // never reached, and about half of all positions end so (the low-leverage tiers mostly).
    if (side == kLong ? !(base[0] <= price) : !(base[0] >= price)) return links_->steps;
    std::size_t n = size;
    if (side == kLong) {
      while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half] <= price ? base + half : base;
        n -= half;
      }
    } else {
      while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half] >= price ? base + half : base;
        n -= half;
      }
    }
    const bool hit = side == kLong ? *base <= price : *base >= price;
    const std::size_t count = std::size_t(base - records.value.data()) + (hit ? 1 : 0);
    return count == 0 ? links_->steps : records.step[count - 1];
  }

 private:
  struct Stack {
    std::vector<double> value;
    std::vector<std::int64_t> step;
    void push(double v, std::int64_t t) { value.push_back(v), step.push_back(t); }
    void pop() { value.pop_back(), step.pop_back(); }
    void reverse() { std::reverse(value.begin(), value.end()), std::reverse(step.begin(), step.end()); }
  };
  const RecordLinks* links_;
  std::int64_t t0_;
  Stack lows_, highs_;
};

// The opening steps step_of(first) < ... < step_of(last - 1), walked from the last down so that
// one cursor serves them all (the records only grow as t0 falls): visit(i, cursor) with the
// cursor standing at step_of(i). The CPU's passes over positions hand out blocks of
// kCursorBlockSteps opening steps; 64 steps of a delta row are 512 bytes, so a block's adds to
// one bin stay in a few cache lines.
constexpr std::int64_t kCursorBlockSteps = 64;

template <class StepOf, class Visit>
void walk_down(const RecordLinks& links, std::int64_t first, std::int64_t last, const StepOf& step_of, Visit&& visit) {
  FirstPassageCursor cursor(links, step_of(last - 1));
  for (std::int64_t i = last - 1; i >= first; --i) {
    cursor.move_to(step_of(i));
    visit(i, cursor);
  }
}

// A position_fate() passage for the CPU: the cursor must stand at the position's t0.
struct CursorPassage {
  const FirstPassageCursor* cursor;
  std::int64_t operator()(std::int64_t, int side, double price) const { return cursor->first_passage(side, price); }
};

}  // namespace liqmap::model
