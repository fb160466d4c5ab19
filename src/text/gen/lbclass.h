/*
 * UAX #14 line-break classes as stored in the generated table
 * (lb_table.c, written by lbgen from Debian's unicode-data at build time).
 * Shared by the generator and src/text/breaks.c so both agree on the
 * numbering.
 */
#ifndef DP_TEXT_GEN_LBCLASS_H
#define DP_TEXT_GEN_LBCLASS_H

#include <stdint.h>

/*
 * The Unicode classes, then four refinements the rules need and that
 * LineBreak.txt alone does not give:
 *   OPW  OP with East_Asian_Width F, W or H (LB30 excludes them)
 *   CPW  CP with East_Asian_Width F, W or H (likewise)
 *   IDPX unassigned Extended_Pictographic code points (LB30b)
 *   SAM  SA with General_Category Mn or Mc (LB1 resolves them to CM)
 */
#define DP_LB_CLASS_LIST(X)                                                  \
    X(XX) X(AI) X(AL) X(B2) X(BA) X(BB) X(BK) X(CB) X(CJ) X(CL) X(CM)        \
    X(CP) X(CR) X(EB) X(EM) X(EX) X(GL) X(H2) X(H3) X(HL) X(HY) X(ID)        \
    X(IN) X(IS) X(JL) X(JT) X(JV) X(LF) X(NL) X(NS) X(NU) X(OP) X(PO)        \
    X(PR) X(QU) X(RI) X(SA) X(SG) X(SP) X(SY) X(WJ) X(ZW) X(ZWJ)             \
    X(OPW) X(CPW) X(IDPX) X(SAM)

enum dp_lb_class {
#define DP_LB_ENUM_(name) DP_LB_##name,
    DP_LB_CLASS_LIST(DP_LB_ENUM_)
#undef DP_LB_ENUM_
    DP_LB_COUNT
};

/* Two-stage table: class of cp (cp <= 0x10FFFF) is
 * dp_lb_stage2[(dp_lb_stage1[cp >> DP_LB_SHIFT] << DP_LB_SHIFT)
 *              | (cp & DP_LB_MASK)]. */
#define DP_LB_SHIFT 7
#define DP_LB_MASK ((1u << DP_LB_SHIFT) - 1)
#define DP_LB_STAGE1_LEN (0x110000 >> DP_LB_SHIFT)

extern const uint16_t dp_lb_stage1[DP_LB_STAGE1_LEN];
extern const uint8_t dp_lb_stage2[];

#endif
