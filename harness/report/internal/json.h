// JsonWriter: the data island of the HTML report, written so that it can
// sit inside a <script> element.
//
// The page's script reads all it shows from one JSON object; nothing else in
// the page comes from the history. Strings are escaped for JSON and for
// HTML at once: '<', '>' and '&' become \u003c, \u003e and \u0026, so no
// value can end the script element or open a comment, and control
// characters, U+2028 and U+2029 are escaped too. Bytes that are not UTF-8
// become U+FFFD, so the island is always valid JSON. The writer inserts the
// commas itself; Key() and the value calls must alternate inside objects.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_JSON_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace thfuzz::report_internal {

// `text` as a JSON string literal, quotes included (see above).
std::string JsonString(std::string_view text);

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  const std::string& text() const { return text_; }

 private:
  void BeforeValue();

  std::string text_;
  // Per open container: whether it holds an element yet.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_JSON_H_
