// The one switch from an event to a MapAdapter call (see adapter.h).

#include "harness/exec/adapter.h"

namespace thfuzz {

void ApplyToMap(MapAdapter& map, Event& event) {
  switch (event.kind) {
    case OpKind::kFind:
      event.ok = map.Find(event.key, &event.out);
      break;
    case OpKind::kInsert:
      event.ok = map.Insert(event.key, event.value);
      break;
    case OpKind::kInsertOrAssign:
      map.InsertOrAssign(event.key, event.value);
      break;
    case OpKind::kErase:
      event.ok = map.Erase(event.key);
      break;
    case OpKind::kSize:
      event.size = map.Size();
      break;
    case OpKind::kClear:
      map.Clear();
      break;
    case OpKind::kReserve:
      map.Reserve(event.amount);
      break;
  }
}

}  // namespace thfuzz
