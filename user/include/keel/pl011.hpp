// The PL011 UART of QEMU virt as a user-level device: its registers, its frame carved out of the
// device untyped that covers it and mapped uncached, and its IRQ. Shared by apps/irqdemo, the
// irqdev system tests, the IRQ benchmark and the release console (user/src/release_console.cc),
// header-only so each root task just includes it.
//
// QEMU's PL011 model (checked by experiment with QEMU 7.2, see apps/systest/irq_device_tests.cc):
// a write to UARTDR sends the character and sets TXRIS at once; the IRQ line is the level of
// RIS & IMSC; UARTICR clears RIS bits. The kernel prints through UARTDR too, so a kernel print
// also raises TXRIS: a driver clears it before unmasking TXIM.
#pragma once

#include <stdint.h>

#include <keel/runtime.h>
#include <sel4/sel4.h>

namespace pl011 {

constexpr seL4_Word kPaddr = 0x09000000;
constexpr seL4_Word kIrq = 33;  // SPI 1
constexpr seL4_Word kTimerIrq = 27;

// Register byte offsets (PL011 TRM, table 3-1) and interrupt bits (UARTIMSC/RIS/MIS/ICR).
constexpr seL4_Word kDr = 0x000, kFr = 0x018, kImsc = 0x038, kRis = 0x03c, kMis = 0x040, kIcr = 0x044;
constexpr uint32_t kTxInt = 1u << 5;
constexpr uint32_t kAllInts = 0x7ff;

// The registers through a mapping of the device frame at `va`.
class Regs {
 public:
  explicit Regs(seL4_Word va = 0) : base_(va) {}
  uint32_t read(seL4_Word off) const { return *reinterpret_cast<volatile uint32_t*>(base_ + off); }
  void write(seL4_Word off, uint32_t v) const { *reinterpret_cast<volatile uint32_t*>(base_ + off) = v; }

  // Sending a character is the device event: QEMU raises TXRIS as the write completes.
  void put(char c) const { write(kDr, static_cast<uint8_t>(c)); }
  void clear_tx() const { write(kIcr, kTxInt); }
  // TXRIS left over from earlier prints is cleared first, so only new characters interrupt.
  void enable_tx_interrupt() const {
    clear_tx();
    write(kImsc, kTxInt);
  }
  // The state the kernel leaves the UART in: no interrupt enabled, none pending.
  void quiesce() const {
    write(kImsc, 0);
    write(kIcr, kAllInts);
  }

 private:
  seL4_Word base_;
};

// Makes objects into consecutive free slots of the root CNode and keeps the first failure.
class Maker {
 public:
  explicit Maker(seL4_CPtr first_slot) : next_(first_slot) {}

  bool check(const char* step, seL4_Error e) {
    if (e != seL4_NoError && error_ == seL4_NoError) {
      error_ = e;
      step_ = step;
    }
    return e == seL4_NoError;
  }
  bool ok() const { return error_ == seL4_NoError; }
  seL4_Error error() const { return error_; }
  const char* step() const { return step_; }
  seL4_CPtr take() { return next_++; }

  // One object of `type` (size_bits for untypeds) from `ut`; 0 on failure.
  seL4_CPtr make(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits = 0, const char* step = "Retype") {
    const seL4_CPtr slot = take();
    return check(step, seL4_Untyped_Retype(ut, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1))
               ? slot
               : 0;
  }

  // A 4 KiB frame cap for the device page at `paddr`: the device untyped covering it is split in
  // halves down to the page (Retype hands out memory from the start of an untyped). Revoking the
  // device untyped, *parent, deletes everything made here.
  // On a release kernel the console already holds the UART's frame (and the device untyped's
  // halves): the caller gets a copy, *parent is the console's frame, and revoking it deletes
  // only the copies.
  seL4_CPtr device_frame(const seL4_BootInfo* bi, seL4_Word paddr, seL4_CPtr* parent) {
    const seL4_CPtr console = keel_console_frame();
    if (console != 0 && paddr == kPaddr) {
      *parent = console;
      const seL4_CPtr slot = take();
      return check("Copy the console's UART frame",
                   seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode,
                                   console, seL4_WordBits, seL4_AllRights))
                 ? slot
                 : 0;
    }
    seL4_Word base = 0, bits = 0;
    seL4_CPtr ut = device_untyped(bi, paddr, &base, &bits);
    *parent = ut;
    if (!check("find the device untyped", ut != 0 ? seL4_NoError : seL4_FailedLookup)) return 0;
    while (bits > seL4_PageBits && paddr != base) {
      const seL4_Word half = seL4_Word{1} << (bits - 1);
      const bool upper = paddr >= base + half;
      const seL4_CPtr first = next_;
      next_ += upper ? 2 : 1;
      if (!check("split the device untyped",
                 seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, seL4_CapInitThreadCNode, 0, 0, first,
                                     upper ? 2 : 1))) {
        return 0;
      }
      ut = upper ? first + 1 : first;
      base += upper ? half : 0;
      --bits;
    }
    return make(ut, seL4_ARM_SmallPageObject, 0, "Retype the device frame");
  }

  // Maps `frame` uncached (device memory, execute-never) at `va` in the root VSpace, with page
  // tables from `ram_ut` wherever the walk stops.
  bool map_device(seL4_CPtr frame, seL4_Word va, seL4_CPtr ram_ut) {
    for (int level = 0; level < 4; ++level) {
      const seL4_Error e =
          seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, va, seL4_ReadWrite, seL4_ARM_ExecuteNever);
      if (e != seL4_FailedLookup) return check("Page_Map the device frame", e);
      const seL4_CPtr pt = make(ram_ut, seL4_ARM_PageTableObject, 0, "Retype a page table");
      if (pt == 0 || !check("PageTable_Map", seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, va,
                                                                    seL4_ARM_Default_VMAttributes))) {
        return false;
      }
    }
    return check("Page_Map the device frame", seL4_FailedLookup);
  }

  static seL4_CPtr device_untyped(const seL4_BootInfo* bi, seL4_Word paddr, seL4_Word* base,
                                  seL4_Word* bits) {
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
      const seL4_UntypedDesc& u = bi->untypedList[i];
      if (u.isDevice && paddr >= u.paddr && paddr - u.paddr < (seL4_Word{1} << u.sizeBits)) {
        *base = u.paddr;
        *bits = u.sizeBits;
        return bi->untyped.start + i;
      }
    }
    return 0;
  }

  static seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
      const seL4_UntypedDesc& u = bi->untypedList[i];
      if (!u.isDevice && u.sizeBits >= bits) return bi->untyped.start + i;
    }
    return 0;
  }

 private:
  seL4_CPtr next_;
  seL4_Error error_ = seL4_NoError;
  const char* step_ = nullptr;
};

}  // namespace pl011
