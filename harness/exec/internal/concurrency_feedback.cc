// Concurrency feedback: event keys, the counter hashing, and the fine
// granularity's last-writer table (concurrency_feedback.h).

#include "harness/exec/internal/concurrency_feedback.h"

#include <algorithm>
#include <cassert>
#include <string_view>
#include <vector>

#include "harness/random.h"

namespace thfuzz::exec_internal {
namespace {

// Key spaces of the site keys, so a named point, an operation start and an
// access never share a key by construction.
constexpr uint32_t kNamedPointSpace = 0x5170'0000;
constexpr uint32_t kOperationSpace = 0x0b00'0000;

// Tags of the event kinds, mixed into every counter index.
constexpr uint64_t kReadsFromTag = 1;
constexpr uint64_t kSwitchTag = 2;
constexpr uint64_t kRetryTag = 3;

enum class Relation : uint8_t { kSameThread, kOtherThread, kInitial };

// FNV-1a over the characters: string-literal addresses move with ASLR, and
// only the base name counts, so builds in different directories agree.
uint32_t HashBaseName(const char* path) {
  std::string_view name = path;
  if (size_t slash = name.find_last_of('/'); slash != name.npos) {
    name.remove_prefix(slash + 1);
  }
  uint32_t hash = 2166136261u;
  for (char c : name) {
    hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  return hash;
}

uint32_t SiteHash(const SourceSite& where) {
  return HashBaseName(where.file) ^
         static_cast<uint32_t>(FrozenMix64(where.line + kGoldenGamma));
}

// Call site -> SiteHash(), per OS thread: hashing the file name at every
// access would cost more than the rest of the recording. The map has a few
// hundred access sites; after a full probe sequence the hash is computed
// without caching it (same value, more time).
class SiteHashCache {
 public:
  uint32_t Get(const SourceSite& where) {
    uint64_t home = FrozenMix64(reinterpret_cast<uintptr_t>(where.file) ^
                                (uint64_t{where.line} << 1));
    for (size_t probe = 0; probe < kProbes; ++probe) {
      Entry& entry = entries_[(home + probe) % kEntries];
      if (entry.file == where.file && entry.line == where.line) {
        return entry.hash;
      }
      if (entry.file == nullptr) {
        entry = {where.file, where.line, SiteHash(where)};
        return entry.hash;
      }
    }
    return SiteHash(where);
  }

 private:
  static constexpr size_t kEntries = 1024;
  static constexpr size_t kProbes = 16;
  struct Entry {
    const char* file = nullptr;
    unsigned line = 0;
    uint32_t hash = 0;
  };
  std::array<Entry, kEntries> entries_{};
};

uint32_t CachedSiteHash(const SourceSite& where) {
  thread_local SiteHashCache cache;
  return cache.Get(where);
}

}  // namespace

// Address -> (store key, writer) for fine granularity. Open addressing with
// linear probing over the whole table, entries of older executions told
// apart by a generation number. Lookups are exact, and insertion stops at
// kMaxFill addresses in an execution (the map's first writes, in execution
// order: deterministic), so no collision pattern, which depends on where
// malloc put the map, can change what is recorded.
class LastWriterTable {
 public:
  struct Writer {
    uint32_t key = 0;
    int writer = -1;  // -1: not written during the run
  };

  void Reset() {
    if (++generation_ == 0) {  // wrapped: forget every entry for real
      std::fill(entries_.begin(), entries_.end(), Entry{});
      generation_ = 1;
    }
    size_ = 0;
  }

  void Set(const void* address, uint32_t key, int writer) {
    Entry* entry = Find(address);
    if (entry->generation != generation_) {
      if (size_ == kMaxFill) return;
      ++size_;
      entry->address = address;
      entry->generation = generation_;
    }
    entry->writer = {key, writer};
  }

  Writer Get(const void* address) {
    Entry* entry = Find(address);
    return entry->generation == generation_ ? entry->writer : Writer{};
  }

 private:
  static constexpr size_t kEntries = 8192;
  static constexpr size_t kMaxFill = kEntries * 3 / 4;
  struct Entry {
    const void* address = nullptr;
    uint32_t generation = 0;
    Writer writer;
  };

  // The entry holding `address`, or the free one where it would go (there
  // always is one: the table is never more than kMaxFill full).
  Entry* Find(const void* address) {
    size_t i = FrozenMix64(reinterpret_cast<uintptr_t>(address)) % kEntries;
    for (;; i = (i + 1) % kEntries) {
      Entry& entry = entries_[i];
      if (entry.generation != generation_ || entry.address == address) {
        return &entry;
      }
    }
  }

  std::vector<Entry> entries_ = std::vector<Entry>(kEntries);
  uint32_t generation_ = 0;
  size_t size_ = 0;
};

namespace {

LastWriterTable& ThisThreadsWriters() {
  thread_local LastWriterTable table;
  table.Reset();
  return table;
}

}  // namespace

ConcurrencyRecorder::ConcurrencyRecorder(std::span<uint8_t> counters)
    : counters_(counters), writers_(ThisThreadsWriters()) {
  assert(counters.size() == kConcurrencyCounters);
}

uint32_t ConcurrencyRecorder::NamedPointKey(tophash::Site site) {
  return kNamedPointSpace | static_cast<uint32_t>(site);
}

uint32_t ConcurrencyRecorder::OperationKey(OpKind kind) {
  return kOperationSpace | static_cast<uint32_t>(kind);
}

uint32_t ConcurrencyRecorder::AccessKey(const Access& access) {
  return CachedSiteHash(access.where) ^
         (static_cast<uint32_t>(access.kind) << 29);
}

uint32_t ConcurrencyRecorder::StoreKey(const SourceSite& where) {
  return CachedSiteHash(where);
}

void ConcurrencyRecorder::Passed(size_t thread, uint32_t key) {
  last_key_[thread] = key;
}

void ConcurrencyRecorder::Switched(size_t from, size_t to, SwitchReason why) {
  Hit(kSwitchRange, kSwitchTag + (static_cast<uint64_t>(why) << 8),
      last_key_[from], last_key_[to]);
}

void ConcurrencyRecorder::Retried(size_t thread, RetryKind kind, uint32_t key) {
  Hit(kRetryRange, kRetryTag + (static_cast<uint64_t>(kind) << 8), key,
      last_key_[thread]);
}

void ConcurrencyRecorder::ReadFrom(size_t reader, uint32_t load_key, int writer,
                                   uint32_t store_key, bool stale) {
  Relation relation = writer < 0 ? Relation::kInitial
                      : static_cast<size_t>(writer) == reader
                          ? Relation::kSameThread
                          : Relation::kOtherThread;
  if (relation == Relation::kInitial) store_key = 0;
  uint64_t tag = kReadsFromTag + (static_cast<uint64_t>(relation) << 8) +
                 (uint64_t{stale} << 16);
  Hit(kReadsFromRange, tag, store_key, load_key);
}

void ConcurrencyRecorder::Wrote(size_t thread, const void* address,
                                uint32_t store_key) {
  writers_.Set(address, store_key, static_cast<int>(thread));
}

void ConcurrencyRecorder::ReadNewest(size_t reader, const void* address,
                                     uint32_t load_key) {
  LastWriterTable::Writer writer = writers_.Get(address);
  ReadFrom(reader, load_key, writer.writer, writer.key, /*stale=*/false);
}

void ConcurrencyRecorder::Hit(const FeedbackRange& range, uint64_t tag,
                              uint32_t a, uint32_t b) {
  uint64_t mixed = FrozenMix64(tag * kGoldenGamma ^ a);
  mixed = FrozenMix64(mixed ^ (uint64_t{b} * kGoldenGamma));
  uint8_t& counter = counters_[range.begin + (mixed >> 32) % range.size];
  counter += counter != 255;
}

}  // namespace thfuzz::exec_internal
