// Flattened device tree reader: every offset and length from the blob is checked before use.
#include "platform/qemu-virt/fdt.h"

namespace keel::fdt {
namespace {

constexpr uint32_t kMagic = 0xd00dfeed;
constexpr word_t kHeaderSize = 40;
constexpr uint32_t kTokBeginNode = 1, kTokEndNode = 2, kTokProp = 3, kTokNop = 4, kTokEnd = 9;
constexpr unsigned kMaxDepth = 16;
constexpr unsigned kMaxPath = 128;
constexpr unsigned kMaxUarts = 4;
constexpr unsigned kMaxAliases = 16;

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
uint64_t be64(const uint8_t* p) { return (uint64_t{be32(p)} << 32) | be32(p + 4); }

struct Header {
  word_t total, off_struct, off_strings, off_rsvmap, size_strings, size_struct;
};

// A byte string inside the blob: a property value or a name.
struct Bytes {
  const uint8_t* p = nullptr;
  word_t len = 0;
};

word_t str_len(const uint8_t* p, word_t max) {  // max if no NUL within max bytes
  word_t n = 0;
  while (n < max && p[n] != 0) ++n;
  return n;
}

bool bytes_eq(const uint8_t* p, word_t len, const char* s) {
  word_t i = 0;
  for (; i < len && s[i] != '\0'; ++i) {
    if (p[i] != static_cast<uint8_t>(s[i])) return false;
  }
  return i == len && s[i] == '\0';
}

bool same_bytes(Bytes a, Bytes b) {
  if (a.len != b.len) return false;
  for (word_t i = 0; i < a.len; ++i) {
    if (a.p[i] != b.p[i]) return false;
  }
  return true;
}

bool starts_with(const uint8_t* p, word_t len, const char* prefix) {
  word_t i = 0;
  for (; prefix[i] != '\0'; ++i) {
    if (i >= len || p[i] != static_cast<uint8_t>(prefix[i])) return false;
  }
  return true;
}

// A string property equals s (value holds s and its NUL, nothing else).
bool value_is(Bytes v, const char* s) {
  return v.len > 0 && bytes_eq(v.p, v.len - 1, s) && v.p[v.len - 1] == 0;
}

// A string-list property contains an entry equal to s (or starting with s if prefix).
bool list_has(Bytes v, const char* s, bool prefix = false) {
  word_t off = 0;
  while (off < v.len) {
    word_t n = str_len(v.p + off, v.len - off);
    if (prefix ? starts_with(v.p + off, n, s) : bytes_eq(v.p + off, n, s)) return true;
    off += n + 1;
  }
  return false;
}

// Node name equal to base, or base@unit-address.
bool name_is(Bytes name, const char* base) {
  word_t n = 0;
  while (n < name.len && name.p[n] != '@') ++n;
  return bytes_eq(name.p, n, base);
}

struct Node {
  Bytes name;
  unsigned addr_cells = 2;  // for its children, as the spec defaults
  unsigned size_cells = 1;
  unsigned path_len = 0;
  bool path_ok = true;  // false when its path did not fit in Walker::path
  Bytes reg, method, compatible, device_type, status;
  bool is_chosen = false, is_aliases = false, is_reserved_memory = false;
};

struct UartCandidate {
  char path[kMaxPath];
  bool path_ok;
  Range reg;
};

struct Alias {
  Bytes name, value;
};

struct Walker {
  const uint8_t* blob;
  Header h;
  Info* out;
  Node stack[kMaxDepth];
  unsigned depth = 0;
  char path[kMaxPath];  // the current node's path, then what its children wrote after it
  UartCandidate uarts[kMaxUarts];
  unsigned num_uarts = 0;
  Alias aliases[kMaxAliases];
  unsigned num_aliases = 0;
  Bytes stdout_path;
};

const char* check_header(const uint8_t* b, word_t avail, Header* h) {
  if (b == nullptr || avail < kHeaderSize) return "DTB: smaller than its header";
  if (be32(b) != kMagic) return "DTB: bad magic (not a flattened device tree)";
  h->total = be32(b + 4);
  h->off_struct = be32(b + 8);
  h->off_strings = be32(b + 12);
  h->off_rsvmap = be32(b + 16);
  word_t version = be32(b + 20), last_comp = be32(b + 24);
  h->size_strings = be32(b + 32);
  h->size_struct = be32(b + 36);
  if (h->total < kHeaderSize || h->total > avail) return "DTB: totalsize larger than the blob";
  if (version < 17 || last_comp > 17) return "DTB: unsupported version (need v17)";
  if (h->off_struct % 4 != 0 || h->off_struct > h->total || h->size_struct > h->total - h->off_struct)
    return "DTB: structure block outside the blob";
  if (h->off_strings > h->total || h->size_strings > h->total - h->off_strings)
    return "DTB: strings block outside the blob";
  if (h->off_rsvmap % 8 != 0 || h->off_rsvmap < kHeaderSize || h->off_rsvmap > h->total - 16)
    return "DTB: memory reservation block outside the blob";
  return nullptr;
}

const char* add_range(Range* arr, unsigned* n, Range r, const char* full) {
  if (r.size == 0) return nullptr;
  if (r.base + r.size < r.base) return "DTB: address range wraps around";
  if (*n == Info::kMaxRanges) return full;
  arr[(*n)++] = r;
  return nullptr;
}

const char* read_memreserve(const uint8_t* b, const Header& h, Info* out) {
  for (word_t off = h.off_rsvmap;; off += 16) {
    if (off > h.total - 16) return "DTB: memory reservation block not terminated";
    Range r{be64(b + off), be64(b + off + 8)};
    if (r.base == 0 && r.size == 0) return nullptr;
    const char* err = add_range(out->reserved, &out->num_reserved, r, "DTB: too many reserved ranges");
    if (err != nullptr) return err;
  }
}

word_t read_cells(const uint8_t* p, unsigned cells) {
  return cells == 2 ? be64(p) : cells == 1 ? be32(p) : 0;
}

// The index-th (address, size) pair of reg, read with the parent's cell counts.
const char* reg_entry(const Node& node, const Node& parent, word_t index, Range* r, bool* present) {
  unsigned ac = parent.addr_cells, sc = parent.size_cells;
  if (ac < 1 || ac > 2 || sc > 2) return "DTB: unsupported #address-cells/#size-cells";
  const word_t entry = word_t{ac + sc} * 4;
  if (node.reg.len % entry != 0) return "DTB: reg length does not match #address-cells/#size-cells";
  *present = (index + 1) * entry <= node.reg.len;
  if (*present)
    *r = Range{read_cells(node.reg.p + index * entry, ac),
               read_cells(node.reg.p + index * entry + size_t{ac} * 4, sc)};
  return nullptr;
}

const char* add_all_regs(const Node& node, const Node& parent, Range* arr, unsigned* n, const char* full) {
  for (word_t i = 0;; ++i) {
    Range r{};
    bool present = false;
    const char* err = reg_entry(node, parent, i, &r, &present);
    if (err != nullptr) return err;
    if (!present) return nullptr;
    if ((err = add_range(arr, n, r, full)) != nullptr) return err;
  }
}

const char* first_reg(const Node& node, const Node& parent, word_t index, Range* r, const char* missing) {
  bool present = false;
  const char* err = reg_entry(node, parent, index, r, &present);
  if (err != nullptr) return err;
  return present ? nullptr : missing;
}

unsigned gic_version_of(Bytes compatible) {
  if (list_has(compatible, "arm,gic-v3")) return 3;
  if (list_has(compatible, "arm,cortex-a15-gic") || list_has(compatible, "arm,gic-400") ||
      list_has(compatible, "arm,cortex-a9-gic") || list_has(compatible, "arm,cortex-a7-gic"))
    return 2;
  return 0;
}

// A node is complete (all its properties seen): record what boot needs from it.
const char* finish_node(Walker& w) {
  const Node& node = w.stack[w.depth - 1];
  const Node& parent = w.stack[w.depth - 2];
  if (node.status.len != 0 && !value_is(node.status, "okay") && !value_is(node.status, "ok")) return nullptr;
  Info* out = w.out;
  bool memory = w.depth == 2 && (value_is(node.device_type, "memory") || name_is(node.name, "memory"));
  if (memory) return add_all_regs(node, parent, out->memory, &out->num_memory, "DTB: too many memory ranges");
  if (w.depth == 3 && parent.is_reserved_memory)
    return add_all_regs(node, parent, out->reserved, &out->num_reserved, "DTB: too many reserved ranges");
  if (list_has(node.compatible, "arm,pl011") && w.num_uarts < kMaxUarts) {
    UartCandidate& u = w.uarts[w.num_uarts++];
    // Children may have written past this node's path: copy only its own part.
    u.path_ok = node.path_ok;
    for (unsigned i = 0; i < node.path_len; ++i) u.path[i] = w.path[i];
    u.path[node.path_len] = '\0';
    return first_reg(node, parent, 0, &u.reg, "DTB: PL011 without reg");
  }
  if (unsigned v = gic_version_of(node.compatible); v != 0 && out->gic_version == 0) {
    out->gic_version = v;
    const char* err = first_reg(node, parent, 0, &out->gic_dist, "DTB: GIC without distributor reg");
    return err != nullptr ? err
                          : first_reg(node, parent, 1, &out->gic_cpu, "DTB: GIC without CPU interface reg");
  }
  if (w.depth == 2 && (name_is(node.name, "psci") || list_has(node.compatible, "arm,psci", true))) {
    if (value_is(node.method, "smc")) out->psci = PsciMethod::Smc;
    if (value_is(node.method, "hvc")) out->psci = PsciMethod::Hvc;
  }
  return nullptr;
}

const char* begin_node(Walker& w, Bytes name) {
  if (w.depth == kMaxDepth) return "DTB: nodes nested too deeply";
  if (w.depth == 0 && name.len != 0) return "DTB: root node has a name";
  Node& node = w.stack[w.depth];
  node = Node{};
  node.name = name;
  unsigned len = w.depth == 0 ? 0 : w.stack[w.depth - 1].path_len;
  node.path_ok = w.depth == 0 || w.stack[w.depth - 1].path_ok;
  if (w.depth > 0) {
    if (len + 1 + name.len + 1 > kMaxPath) {
      node.path_ok = false;
    } else {
      w.path[len++] = '/';
      for (word_t i = 0; i < name.len; ++i) w.path[len++] = static_cast<char>(name.p[i]);
    }
  }
  w.path[len < kMaxPath ? len : kMaxPath - 1] = '\0';
  node.path_len = len;
  node.is_chosen = w.depth == 1 && bytes_eq(name.p, name.len, "chosen");
  node.is_aliases = w.depth == 1 && bytes_eq(name.p, name.len, "aliases");
  node.is_reserved_memory = w.depth == 1 && name_is(name, "reserved-memory");
  ++w.depth;
  return nullptr;
}

const char* property(Walker& w, Bytes name, Bytes value) {
  Node& node = w.stack[w.depth - 1];
  if (bytes_eq(name.p, name.len, "#address-cells") || bytes_eq(name.p, name.len, "#size-cells")) {
    if (value.len != 4) return "DTB: #address-cells/#size-cells is not one cell";
    (name.p[1] == 'a' ? node.addr_cells : node.size_cells) = be32(value.p);
  } else if (bytes_eq(name.p, name.len, "reg")) {
    node.reg = value;
  } else if (bytes_eq(name.p, name.len, "compatible")) {
    node.compatible = value;
  } else if (bytes_eq(name.p, name.len, "device_type")) {
    node.device_type = value;
  } else if (bytes_eq(name.p, name.len, "status")) {
    node.status = value;
  } else if (bytes_eq(name.p, name.len, "method")) {
    node.method = value;
  } else if (node.is_chosen &&
             (bytes_eq(name.p, name.len, "stdout-path") || bytes_eq(name.p, name.len, "linux,stdout-path"))) {
    w.stdout_path = value;
  } else if (node.is_aliases && w.num_aliases < kMaxAliases) {
    w.aliases[w.num_aliases++] = Alias{name, value};
  }
  return nullptr;
}

const char* walk_structure(Walker& w) {
  const uint8_t* b = w.blob;
  word_t off = w.h.off_struct, end = w.h.off_struct + w.h.size_struct;
  bool root_done = false;
  for (;;) {
    if (end - off < 4) return "DTB: structure block ends without FDT_END";
    uint32_t token = be32(b + off);
    off += 4;
    if (token == kTokNop) continue;
    if (token == kTokEnd)
      return w.depth != 0 ? "DTB: FDT_END inside a node" : root_done ? nullptr : "DTB: no root node";
    if (token == kTokBeginNode) {
      if (root_done) return "DTB: more than one root node";
      word_t n = str_len(b + off, end - off);
      if (n == end - off) return "DTB: unterminated node name";
      word_t padded = round_up(n + 1, 2);
      if (padded > end - off) return "DTB: node name overruns the structure block";
      const char* err = begin_node(w, Bytes{b + off, n});
      if (err != nullptr) return err;
      off += padded;
    } else if (token == kTokEndNode) {
      if (w.depth == 0) return "DTB: unbalanced FDT_END_NODE";
      if (w.depth >= 2) {
        const char* err = finish_node(w);
        if (err != nullptr) return err;
      }
      if (--w.depth == 0) root_done = true;
    } else if (token == kTokProp) {
      if (w.depth == 0) return "DTB: property outside any node";
      if (end - off < 8) return "DTB: truncated property header";
      word_t len = be32(b + off), name_off = be32(b + off + 4);
      off += 8;
      if (len > end - off || round_up(len, 2) > end - off)
        return "DTB: property value overruns the structure block";
      if (name_off >= w.h.size_strings) return "DTB: property name offset outside the strings block";
      const uint8_t* name = b + w.h.off_strings + name_off;
      word_t name_len = str_len(name, w.h.size_strings - name_off);
      if (name_len == w.h.size_strings - name_off) return "DTB: unterminated property name";
      const char* err = property(w, Bytes{name, name_len}, Bytes{b + off, len});
      if (err != nullptr) return err;
      off += round_up(len, 2);
    } else {
      return "DTB: unknown structure token";
    }
  }
}

bool path_matches(const UartCandidate& u, Bytes target) {
  return u.path_ok && target.len > 0 && bytes_eq(target.p, target.len, u.path);
}

// stdout-path is "path[:options]" or "alias[:options]"; returns the path part, or empty.
Bytes resolve_stdout(const Walker& w) {
  Bytes v = w.stdout_path;
  if (v.len == 0) return v;
  word_t n = 0;
  while (n < v.len && v.p[n] != 0 && v.p[n] != ':') ++n;
  if (n > 0 && v.p[0] == '/') return Bytes{v.p, n};
  for (unsigned i = 0; i < w.num_aliases; ++i) {
    const Alias& a = w.aliases[i];
    if (same_bytes(a.name, Bytes{v.p, n})) {
      return Bytes{a.value.p, str_len(a.value.p, a.value.len)};
    }
  }
  return Bytes{};
}

void choose_uart(const Walker& w, Info* out) {
  if (w.num_uarts == 0) return;
  Bytes target = resolve_stdout(w);
  const UartCandidate* pick = &w.uarts[0];
  for (unsigned i = 0; i < w.num_uarts; ++i) {
    if (path_matches(w.uarts[i], target)) {
      pick = &w.uarts[i];
      break;
    }
  }
  out->uart = pick->reg;
  out->has_uart = true;
}

}  // namespace

word_t total_size(const uint8_t* blob, word_t avail) {
  Header h{};
  return check_header(blob, avail, &h) == nullptr ? h.total : 0;
}

const char* parse(const uint8_t* blob, word_t avail, Info* out) {
  *out = Info{};
  Walker w{};
  w.blob = blob;
  w.out = out;
  const char* err = check_header(blob, avail, &w.h);
  if (err == nullptr) err = read_memreserve(blob, w.h, out);
  if (err == nullptr) err = walk_structure(w);
  if (err != nullptr) return err;
  out->total_size = w.h.total;
  if (out->num_memory == 0) return "DTB: no /memory node with a reg";
  choose_uart(w, out);
  return nullptr;
}

}  // namespace keel::fdt
