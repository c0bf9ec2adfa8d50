// find_codegen: a tiny translation unit for inspecting the code generated for
// tophash::Map::find under the production policy and under an instrumented
// one (`objdump -d --no-show-raw-insn` on its object file; see
// map/README.md). It is compiled, never linked or run.

#include <cstdint>
#include <mutex>
#include <new>

#include "counting_policy.h"
#include "tophash/map.h"
#include "tophash/policy.h"

namespace tophash_codegen {

struct Value32 {
  uint64_t words[4];
};

using ProductionMap = tophash::Map<uint64_t, Value32>;
using CountingMap =
    tophash::Map<uint64_t, Value32, tophash::DefaultHash<uint64_t>,
                 CountingPolicy>;

bool FindProduction(const ProductionMap& map, uint64_t key, Value32* out) {
  return map.find(key, out);
}

bool FindCounting(const CountingMap& map, uint64_t key, Value32* out) {
  return map.find(key, out);
}

}  // namespace tophash_codegen
