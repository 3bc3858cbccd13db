// Cap constructors and printing.
#include "cap.h"

#include <cstdio>

namespace keel::spec {

const char* to_string(CapType t) {
  switch (t) {
    case CapType::Null: return "Null";
    case CapType::Untyped: return "Untyped";
    case CapType::Endpoint: return "Endpoint";
    case CapType::Notification: return "Notification";
    case CapType::Reply: return "Reply";
    case CapType::CNode: return "CNode";
    case CapType::Thread: return "Thread";
    case CapType::IrqControl: return "IrqControl";
    case CapType::IrqHandler: return "IrqHandler";
    case CapType::Zombie: return "Zombie";
    case CapType::Domain: return "Domain";
    case CapType::Frame: return "Frame";
    case CapType::PageTable: return "PageTable";
    case CapType::VSpace: return "VSpace";
    case CapType::AsidControl: return "AsidControl";
    case CapType::AsidPool: return "AsidPool";
    case CapType::Smc: return "Smc";
    case CapType::SgiSignal: return "SgiSignal";
  }
  return "?";
}

static Cap of_type(CapType t) {
  Cap c;
  c.type = t;
  return c;
}

Cap Cap::untyped(paddr_t p, unsigned size_bits, bool dev, word_t free_index) {
  Cap c = of_type(CapType::Untyped);
  c.ptr = p, c.size_bits = size_bits, c.is_device = dev, c.free_index = free_index;
  return c;
}
Cap Cap::endpoint(paddr_t p, word_t badge, CapRights r) {
  Cap c = of_type(CapType::Endpoint);
  c.ptr = p, c.badge = badge, c.rights = r;
  return c;
}
Cap Cap::notification(paddr_t p, word_t badge, bool can_send, bool can_receive) {
  Cap c = of_type(CapType::Notification);
  c.ptr = p, c.badge = badge, c.rights = CapRights{can_send, can_receive, false, false};
  return c;
}
Cap Cap::reply(paddr_t tcb, bool master, bool can_grant) {
  Cap c = of_type(CapType::Reply);
  c.ptr = tcb, c.reply_master = master, c.rights.grant = can_grant;
  return c;
}
Cap Cap::cnode(paddr_t p, unsigned radix, unsigned guard_size, word_t guard) {
  Cap c = of_type(CapType::CNode);
  c.ptr = p, c.radix = radix, c.guard_size = guard_size, c.guard = guard;
  return c;
}
Cap Cap::thread(paddr_t p) {
  Cap c = of_type(CapType::Thread);
  c.ptr = p;
  return c;
}
Cap Cap::irq_control() { return of_type(CapType::IrqControl); }
Cap Cap::irq_handler(word_t irq) {
  Cap c = of_type(CapType::IrqHandler);
  c.irq = irq;
  return c;
}
Cap Cap::zombie(paddr_t p, bool is_tcb, unsigned radix) {
  Cap c = of_type(CapType::Zombie);
  c.ptr = p, c.zombie_is_tcb = is_tcb, c.radix = is_tcb ? 0 : radix;
  return c;
}
Cap Cap::domain() { return of_type(CapType::Domain); }
Cap Cap::frame(paddr_t p, unsigned size_bits, VmRights r, bool dev, std::optional<Mapping> m) {
  Cap c = of_type(CapType::Frame);
  c.ptr = p, c.size_bits = size_bits, c.vm_rights = r, c.is_device = dev, c.mapped = m;
  return c;
}
Cap Cap::page_table(paddr_t p, std::optional<Mapping> m) {
  Cap c = of_type(CapType::PageTable);
  c.ptr = p, c.mapped = m;
  return c;
}
Cap Cap::vspace(paddr_t p, std::optional<Mapping> m) {
  Cap c = of_type(CapType::VSpace);
  c.ptr = p, c.mapped = m;
  return c;
}
Cap Cap::asid_control() { return of_type(CapType::AsidControl); }
Cap Cap::asid_pool(paddr_t p, word_t asid_base) {
  Cap c = of_type(CapType::AsidPool);
  c.ptr = p, c.asid_base = asid_base;
  return c;
}
Cap Cap::smc(word_t badge) {
  Cap c = of_type(CapType::Smc);
  c.badge = badge;
  return c;
}
Cap Cap::sgi_signal(word_t id, word_t target) {
  Cap c = of_type(CapType::SgiSignal);
  c.irq = id, c.target = target;
  return c;
}

static std::string hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

static std::string rights_string(const CapRights& r) {
  std::string s;
  s += r.write ? 'W' : '-';
  s += r.read ? 'R' : '-';
  s += r.grant ? 'G' : '-';
  s += r.grant_reply ? 'g' : '-';
  return s;
}

static std::string mapping_string(const std::optional<Mapping>& m) {
  return m ? " mapped asid=" + hex(m->asid) + " vaddr=" + hex(m->vaddr) : " unmapped";
}

std::string to_string(const Cap& c) {
  std::string s = to_string(c.type);
  switch (c.type) {
    case CapType::Null:
    case CapType::IrqControl:
    case CapType::Domain:
    case CapType::AsidControl: return s;
    case CapType::Untyped:
      return s + "(" + hex(c.ptr) + " bits=" + std::to_string(c.size_bits) + (c.is_device ? " device" : "") +
             " free_index=" + hex(c.free_index) + ")";
    case CapType::Endpoint:
    case CapType::Notification:
      return s + "(" + hex(c.ptr) + " badge=" + hex(c.badge) + " " + rights_string(c.rights) + ")";
    case CapType::Reply:
      return s + "(tcb=" + hex(c.ptr) + (c.reply_master ? " master" : "") + (c.rights.grant ? " grant" : "") +
             ")";
    case CapType::CNode:
      return s + "(" + hex(c.ptr) + " radix=" + std::to_string(c.radix) + " guard=" + hex(c.guard) + "/" +
             std::to_string(c.guard_size) + ")";
    case CapType::Thread: return s + "(" + hex(c.ptr) + ")";
    case CapType::IrqHandler: return s + "(" + std::to_string(c.irq) + ")";
    case CapType::Zombie:
      return s + "(" + hex(c.ptr) + (c.zombie_is_tcb ? " tcb" : " radix=" + std::to_string(c.radix)) + ")";
    case CapType::Frame:
      return s + "(" + hex(c.ptr) + " bits=" + std::to_string(c.size_bits) +
             " rights=" + std::to_string(static_cast<int>(c.vm_rights)) + (c.is_device ? " device" : "") +
             mapping_string(c.mapped) + ")";
    case CapType::PageTable:
    case CapType::VSpace: return s + "(" + hex(c.ptr) + mapping_string(c.mapped) + ")";
    case CapType::AsidPool: return s + "(" + hex(c.ptr) + " base=" + hex(c.asid_base) + ")";
    case CapType::Smc: return s + "(badge=" + hex(c.badge) + ")";
    case CapType::SgiSignal:
      return s + "(id=" + std::to_string(c.irq) + " target=" + std::to_string(c.target) + ")";
  }
  return s;
}

}  // namespace keel::spec
