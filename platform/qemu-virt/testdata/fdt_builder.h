// Test-only: builds flattened device trees in memory, well-formed or deliberately broken.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace keel::fdt::test {

using Blob = std::vector<uint8_t>;

inline void put_be32(Blob& b, size_t off, uint32_t v) {
  for (size_t i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}
inline uint32_t get_be32(const Blob& b, size_t off) {
  return (uint32_t{b[off]} << 24) | (uint32_t{b[off + 1]} << 16) | (uint32_t{b[off + 2]} << 8) | b[off + 3];
}

// Header field offsets, for tests that corrupt a header.
enum HeaderField : size_t {
  kMagicOff = 0,
  kTotalSizeOff = 4,
  kOffStructOff = 8,
  kOffStringsOff = 12,
  kOffRsvmapOff = 16,
  kVersionOff = 20,
  kLastCompOff = 24,
  kSizeStringsOff = 32,
  kSizeStructOff = 36,
};

// Appends tokens in call order; finish() lays out header, reservation map, structure block and
// strings block (in that order, as dtc does) and returns the blob.
class FdtBuilder {
 public:
  static constexpr uint32_t kBeginNode = 1, kEndNode = 2, kProp = 3, kNop = 4, kEnd = 9;

  FdtBuilder& memreserve(uint64_t base, uint64_t size) {
    rsv_.push_back(base);
    rsv_.push_back(size);
    return *this;
  }
  FdtBuilder& begin(const std::string& name) {
    word(kBeginNode);
    for (char c : name) struct_.push_back(static_cast<uint8_t>(c));
    struct_.push_back(0);
    pad();
    return *this;
  }
  FdtBuilder& end() { return word(kEndNode); }
  FdtBuilder& prop(const std::string& name, const Blob& value) {
    word(kProp);
    word(static_cast<uint32_t>(value.size()));
    word(string_offset(name));
    struct_.insert(struct_.end(), value.begin(), value.end());
    pad();
    return *this;
  }
  FdtBuilder& cells(const std::string& name, std::initializer_list<uint32_t> v) {
    Blob b;
    for (uint32_t c : v) append_be32(b, c);
    return prop(name, b);
  }
  FdtBuilder& u32(const std::string& name, uint32_t v) { return cells(name, {v}); }
  // A string list: each entry with its NUL.
  FdtBuilder& str(const std::string& name, std::initializer_list<std::string> v) {
    Blob b;
    for (const std::string& s : v) {
      b.insert(b.end(), s.begin(), s.end());
      b.push_back(0);
    }
    return prop(name, b);
  }
  FdtBuilder& str(const std::string& name, const std::string& v) { return str(name, {v}); }
  FdtBuilder& word(uint32_t w) {
    append_be32(struct_, w);
    return *this;
  }
  // Skips the FDT_END token in finish() (for truncation tests).
  FdtBuilder& no_end() {
    with_end_ = false;
    return *this;
  }
  // Appends raw bytes to the strings block (e.g. a name without NUL at its very end).
  FdtBuilder& raw_strings(const std::string& s) {
    strings_.insert(strings_.end(), s.begin(), s.end());
    return *this;
  }
  // Shares an existing entry of the strings block, as dtc does.
  uint32_t string_offset(const std::string& name) {
    size_t start = 0;
    for (size_t i = 0; i < strings_.size(); ++i) {
      if (strings_[i] != 0) continue;
      if (std::string(strings_.data() + start, strings_.data() + i) == name)
        return static_cast<uint32_t>(start);
      start = i + 1;
    }
    const size_t off = strings_.size();
    strings_.insert(strings_.end(), name.begin(), name.end());
    strings_.push_back(0);
    return static_cast<uint32_t>(off);
  }

  Blob finish() const {
    Blob st = struct_;
    if (with_end_) append_be32(st, kEnd);
    Blob out(40, 0);
    const size_t off_rsv = 40;
    for (uint64_t v : rsv_) append_be64(out, v);
    append_be64(out, 0);
    append_be64(out, 0);
    const size_t off_struct = out.size();
    out.insert(out.end(), st.begin(), st.end());
    const size_t off_strings = out.size();
    out.insert(out.end(), strings_.begin(), strings_.end());
    while (out.size() % 4 != 0) out.push_back(0);
    put_be32(out, kMagicOff, 0xd00dfeed);
    put_be32(out, kTotalSizeOff, static_cast<uint32_t>(out.size()));
    put_be32(out, kOffStructOff, static_cast<uint32_t>(off_struct));
    put_be32(out, kOffStringsOff, static_cast<uint32_t>(off_strings));
    put_be32(out, kOffRsvmapOff, static_cast<uint32_t>(off_rsv));
    put_be32(out, kVersionOff, 17);
    put_be32(out, kLastCompOff, 16);
    put_be32(out, kSizeStringsOff, static_cast<uint32_t>(strings_.size()));
    put_be32(out, kSizeStructOff, static_cast<uint32_t>(st.size()));
    return out;
  }

 private:
  static void append_be32(Blob& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (24 - 8 * i)));
  }
  static void append_be64(Blob& b, uint64_t v) {
    append_be32(b, static_cast<uint32_t>(v >> 32));
    append_be32(b, static_cast<uint32_t>(v));
  }
  void pad() {
    while (struct_.size() % 4 != 0) struct_.push_back(0);
  }

  std::vector<uint64_t> rsv_;
  Blob struct_;
  Blob strings_;
  bool with_end_ = true;
};

// A small tree shaped like QEMU virt's: 2-cell root, one memory node, a PL011 on stdout, a
// GICv2 and PSCI over SMC.
inline FdtBuilder qemu_like_tree() {
  FdtBuilder b;
  b.begin("").u32("#address-cells", 2).u32("#size-cells", 2).str("compatible", "linux,dummy-virt");
  b.begin("psci").str("compatible", {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"}).str("method", "smc").end();
  b.begin("memory@40000000").str("device_type", "memory").cells("reg", {0, 0x40000000, 0, 0x40000000}).end();
  b.begin("pl011@9000000")
      .str("compatible", {"arm,pl011", "arm,primecell"})
      .cells("reg", {0, 0x09000000, 0, 0x1000})
      .end();
  b.begin("intc@8000000")
      .str("compatible", "arm,cortex-a15-gic")
      .cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000})
      .end();
  b.begin("chosen").str("stdout-path", "/pl011@9000000").end();
  b.end();
  return b;
}

}  // namespace keel::fdt::test
