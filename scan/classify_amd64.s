#include "textflag.h"

// The classes' bounds, each byte repeated over 16 (both lanes of Y8 … Y14).
DATA bounds<>+0(SB)/8, $0x3030303030303030 // '0'
DATA bounds<>+8(SB)/8, $0x3030303030303030
DATA bounds<>+16(SB)/8, $0x0909090909090909 // 9
DATA bounds<>+24(SB)/8, $0x0909090909090909
DATA bounds<>+32(SB)/8, $0x2a2a2a2a2a2a2a2a // '*'
DATA bounds<>+40(SB)/8, $0x2a2a2a2a2a2a2a2a
DATA bounds<>+48(SB)/8, $0x2020202020202020 // case bit
DATA bounds<>+56(SB)/8, $0x2020202020202020
DATA bounds<>+64(SB)/8, $0x7878787878787878 // 'x'
DATA bounds<>+72(SB)/8, $0x7878787878787878
DATA bounds<>+80(SB)/8, $0x3131313131313131 // '1'
DATA bounds<>+88(SB)/8, $0x3131313131313131
DATA bounds<>+96(SB)/8, $0x0808080808080808 // 8
DATA bounds<>+104(SB)/8, $0x0808080808080808
GLOBL bounds<>(SB), RODATA|NOPTR, $112

// func classifyAVX2(src []byte, out []window)
TEXT ·classifyAVX2(SB), NOSPLIT, $0-48
	MOVQ src_base+0(FP), SI
	MOVQ out_base+24(FP), DI
	MOVQ out_len+32(FP), CX
	VBROADCASTI128 bounds<>+0(SB), Y8
	VBROADCASTI128 bounds<>+16(SB), Y9
	VBROADCASTI128 bounds<>+32(SB), Y10
	VBROADCASTI128 bounds<>+48(SB), Y11
	VBROADCASTI128 bounds<>+64(SB), Y12
	VBROADCASTI128 bounds<>+80(SB), Y13
	VBROADCASTI128 bounds<>+96(SB), Y14
	TESTQ CX, CX
	JZ    done

// CLASS32 classifies the 32 bytes at off(SI) into the 32-bit masks dreg
// (digits: b-'0' <= 9, unsigned), mreg (digits, '*', 'x' and 'X' as
// b|0x20 == 'x', and bytes with the high bit set) and lreg (b-'1' <= 8).
#define CLASS32(off, dreg, mreg, lreg) \
	VMOVDQU   off(SI), Y0 \
	VPSUBB    Y8, Y0, Y1  \
	VPMINUB   Y9, Y1, Y2  \
	VPCMPEQB  Y1, Y2, Y2  \
	VPMOVMSKB Y2, dreg    \
	VPCMPEQB  Y10, Y0, Y3 \
	VPOR      Y11, Y0, Y4 \
	VPCMPEQB  Y12, Y4, Y4 \
	VPOR      Y4, Y3, Y3  \
	VPOR      Y2, Y3, Y3  \
	VPOR      Y0, Y3, Y3  \
	VPMOVMSKB Y3, mreg    \
	VPSUBB    Y13, Y0, Y5 \
	VPMINUB   Y14, Y5, Y6 \
	VPCMPEQB  Y5, Y6, Y6  \
	VPMOVMSKB Y6, lreg

loop:
	CLASS32(0, AX, BX, DX)
	CLASS32(32, R9, R10, R11)
	SHLQ $32, R9
	SHLQ $32, R10
	SHLQ $32, R11
	ORQ  R9, AX
	ORQ  R10, BX
	ORQ  R11, DX
	MOVQ AX, 0(DI)
	MOVQ BX, 8(DI)
	MOVQ DX, 16(DI)
	ADDQ $64, SI
	ADDQ $24, DI
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET
