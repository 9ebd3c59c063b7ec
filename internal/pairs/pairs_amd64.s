#include "textflag.h"

// func search(text []byte, tables *[4][32]byte) (off int, mask uint32)
//
// For each of 32 offsets at once: the bucket bits of the byte there (its
// low and high nibble looked up with VPSHUFB, ANDed) and of the byte after
// it, ANDed; a bit left is a candidate pair.
TEXT ·search(SB), NOSPLIT, $0-44
	MOVQ text_base+0(FP), SI
	MOVQ text_len+8(FP), DX
	MOVQ tables+24(FP), DI
	VMOVDQU 0(DI), Y8   // first byte, low nibble
	VMOVDQU 32(DI), Y9  // first byte, high nibble
	VMOVDQU 64(DI), Y10 // second byte, low nibble
	VMOVDQU 96(DI), Y11 // second byte, high nibble
	MOVQ $0x0f0f0f0f0f0f0f0f, AX
	MOVQ AX, X12
	VPBROADCASTQ X12, Y12
	XORQ CX, CX
	SUBQ $32, DX // a step at CX reads CX..CX+32: CX < len-32

loop:
	CMPQ CX, DX
	JGE  none
	VMOVDQU (SI)(CX*1), Y0
	VMOVDQU 1(SI)(CX*1), Y1
	VPSRLW  $4, Y0, Y2
	VPAND   Y12, Y0, Y0
	VPAND   Y12, Y2, Y2
	VPSHUFB Y0, Y8, Y0
	VPSHUFB Y2, Y9, Y2
	VPAND   Y2, Y0, Y0
	VPSRLW  $4, Y1, Y3
	VPAND   Y12, Y1, Y1
	VPAND   Y12, Y3, Y3
	VPSHUFB Y1, Y10, Y1
	VPSHUFB Y3, Y11, Y3
	VPAND   Y3, Y1, Y1
	VPAND   Y1, Y0, Y0
	VPTEST  Y0, Y0
	JNZ     found
	ADDQ    $32, CX
	JMP     loop

found:
	VPXOR     Y1, Y1, Y1
	VPCMPEQB  Y1, Y0, Y0
	VPMOVMSKB Y0, AX
	NOTL      AX
	MOVQ      CX, off+32(FP)
	MOVL      AX, mask+40(FP)
	VZEROUPPER
	RET

none:
	MOVQ CX, off+32(FP)
	MOVL $0, mask+40(FP)
	VZEROUPPER
	RET
