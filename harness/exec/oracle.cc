// The oracle: absl::flat_hash_map behind absl::Mutex (std::mutex under TSan).

#include "harness/exec/oracle.h"

#include <memory>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace thfuzz {
namespace {

#ifdef THFUZZ_TSAN
using OracleMutex = std::mutex;
#else
// absl::Mutex with the standard lock()/unlock() names (this Abseil release
// has only Lock()/Unlock()), so std::lock_guard works with either mutex.
class OracleMutex {
 public:
  void lock() { mu_.Lock(); }
  void unlock() { mu_.Unlock(); }

 private:
  absl::Mutex mu_;
};
#endif

class Oracle final : public MapAdapter {
 public:
  bool Find(uint64_t key, Stamp* out) override {
    std::lock_guard<OracleMutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    *out = it->second;
    return true;
  }
  bool Insert(uint64_t key, const Stamp& value) override {
    std::lock_guard<OracleMutex> lock(mu_);
    return map_.try_emplace(key, value).second;
  }
  void InsertOrAssign(uint64_t key, const Stamp& value) override {
    std::lock_guard<OracleMutex> lock(mu_);
    map_.insert_or_assign(key, value);
  }
  bool Erase(uint64_t key) override {
    std::lock_guard<OracleMutex> lock(mu_);
    return map_.erase(key) != 0;
  }
  size_t Size() override {
    std::lock_guard<OracleMutex> lock(mu_);
    return map_.size();
  }
  void Clear() override {
    std::lock_guard<OracleMutex> lock(mu_);
    map_.clear();
  }
  void Reserve(size_t count) override {
    std::lock_guard<OracleMutex> lock(mu_);
    map_.reserve(count);
  }
  void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) override {
    std::lock_guard<OracleMutex> lock(mu_);
    for (const auto& [key, value] : map_) visit(key, value);
  }

 private:
  OracleMutex mu_;
  absl::flat_hash_map<uint64_t, Stamp> map_;
};

}  // namespace

std::unique_ptr<MapAdapter> MakeOracle() { return std::make_unique<Oracle>(); }

}  // namespace thfuzz
