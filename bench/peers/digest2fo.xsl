<?xml version="1.0" encoding="UTF-8"?>
<!--
  Digest XML v1 -> XSL-FO, for comparing digestpdf with Apache FOP on the
  same document (bench/peers.sh). It aims at a comparable result, not an
  identical one: A4, IPAex fonts, a cover, contents with page numbers,
  bookmarks (section -> article), running header and page numbers,
  justified text, nested lists, tables and quotes. No JLReq composition
  beyond what FOP does by itself.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:fo="http://www.w3.org/1999/XSL/Format">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="digest meta section article list table row quote figure"/>

  <xsl:template match="/digest">
    <fo:root font-family="IPAexMincho" font-size="10.5pt" line-height="1.75"
             language="ja" xml:lang="ja">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="page" page-width="210mm" page-height="297mm"
            margin-top="12mm" margin-bottom="10mm" margin-left="20mm" margin-right="20mm">
          <fo:region-body margin-top="10mm" margin-bottom="10mm"/>
          <fo:region-before extent="8mm"/>
          <fo:region-after extent="8mm"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <fo:bookmark-tree>
        <xsl:for-each select="section">
          <fo:bookmark internal-destination="{generate-id()}">
            <fo:bookmark-title><xsl:value-of select="@name"/></fo:bookmark-title>
            <xsl:for-each select="article">
              <fo:bookmark internal-destination="{generate-id()}">
                <fo:bookmark-title><xsl:value-of select="title"/></fo:bookmark-title>
              </fo:bookmark>
            </xsl:for-each>
          </fo:bookmark>
        </xsl:for-each>
      </fo:bookmark-tree>
      <fo:page-sequence master-reference="page">
        <fo:static-content flow-name="xsl-region-before">
          <fo:block font-size="8pt" color="#666666" text-align-last="justify">
            <xsl:value-of select="meta/series"/>
            <fo:leader/>
            <fo:retrieve-marker retrieve-class-name="section"/>
          </fo:block>
        </fo:static-content>
        <fo:static-content flow-name="xsl-region-after">
          <fo:block font-size="8.8pt" color="#666666" text-align="center">
            <fo:page-number/> / <fo:page-number-citation ref-id="end"/>
          </fo:block>
        </fo:static-content>
        <fo:flow flow-name="xsl-region-body" text-align="justify">
          <xsl:apply-templates select="meta"/>
          <fo:block break-before="page" font-family="IPAexGothic" font-size="16pt"
                    space-after="8pt">目次</fo:block>
          <xsl:for-each select="section">
            <fo:block font-family="IPAexGothic" space-before="6pt"><xsl:value-of select="@name"/></fo:block>
            <xsl:for-each select="article">
              <fo:block font-size="10pt" text-align-last="justify" start-indent="1em">
                <fo:basic-link internal-destination="{generate-id()}">
                  <xsl:value-of select="title"/>
                  <fo:leader leader-pattern="dots"/>
                  <fo:page-number-citation ref-id="{generate-id()}"/>
                </fo:basic-link>
              </fo:block>
            </xsl:for-each>
          </xsl:for-each>
          <xsl:apply-templates select="section"/>
          <fo:block id="end"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>

  <xsl:template match="meta">
    <fo:block font-family="IPAexGothic" font-size="22pt" space-before="60mm"
              space-after="12pt"><xsl:value-of select="title"/></fo:block>
    <fo:block><xsl:value-of select="series"/></fo:block>
    <fo:block><xsl:value-of select="published"/></fo:block>
    <fo:block><xsl:value-of select="publisher"/></fo:block>
    <xsl:apply-templates select="summary"/>
  </xsl:template>

  <xsl:template match="summary"><fo:block space-before="12pt"><xsl:apply-templates/></fo:block></xsl:template>

  <xsl:template match="section">
    <fo:block id="{generate-id()}" break-before="page" font-family="IPAexGothic"
              font-size="16pt" color="#1f4e79" space-after="8pt">
      <fo:marker marker-class-name="section"><xsl:value-of select="@name"/></fo:marker>
      <xsl:value-of select="@name"/>
    </fo:block>
    <xsl:apply-templates select="article"/>
  </xsl:template>

  <xsl:template match="article">
    <fo:block id="{generate-id()}" font-family="IPAexGothic" font-size="13pt"
              space-before="12pt" space-after="4pt" keep-with-next="always">
      <xsl:apply-templates select="title/node()"/>
    </fo:block>
    <xsl:apply-templates select="*[not(self::title)]"/>
  </xsl:template>

  <xsl:template match="subtitle"><fo:block font-family="IPAexGothic" space-after="4pt"><xsl:apply-templates/></fo:block></xsl:template>
  <xsl:template match="p"><fo:block space-after="0.5em"><xsl:apply-templates/></fo:block></xsl:template>
  <xsl:template match="heading">
    <fo:block font-family="IPAexGothic" font-size="11pt" space-before="6pt"
              keep-with-next="always"><xsl:apply-templates/></fo:block>
  </xsl:template>
  <xsl:template match="quote">
    <fo:block start-indent="from-parent(start-indent) + 1.5em" border-start-style="solid"
              border-start-width="1pt" border-start-color="#999999" padding-start="0.5em">
      <xsl:apply-templates/>
    </fo:block>
  </xsl:template>

  <xsl:template match="list">
    <fo:list-block provisional-distance-between-starts="2em" space-after="0.25em">
      <xsl:apply-templates select="item"/>
    </fo:list-block>
  </xsl:template>
  <xsl:template match="item">
    <fo:list-item space-before="0.25em">
      <fo:list-item-label end-indent="label-end()">
        <fo:block>
          <xsl:choose>
            <xsl:when test="../@type = 'decimal' and ../@start"><xsl:value-of select="count(preceding-sibling::item) + ../@start"/>.</xsl:when>
            <xsl:when test="../@type = 'decimal'"><xsl:number/>.</xsl:when>
            <xsl:when test="../@type = 'paren'">(<xsl:number/>)</xsl:when>
            <xsl:when test="../@type = 'none'"/>
            <xsl:otherwise>•</xsl:otherwise>
          </xsl:choose>
        </fo:block>
      </fo:list-item-label>
      <fo:list-item-body start-indent="body-start()">
        <fo:block><xsl:apply-templates select="node()[not(self::list or self::p or self::quote or self::table)]"/></fo:block>
        <xsl:apply-templates select="list|p|quote|table"/>
      </fo:list-item-body>
    </fo:list-item>
  </xsl:template>

  <xsl:template match="table">
    <fo:table table-layout="fixed" width="100%" border-collapse="collapse" space-after="0.5em">
      <fo:table-body>
        <xsl:for-each select="row">
          <fo:table-row>
            <xsl:for-each select="cell">
              <fo:table-cell border="0.5pt solid #999999" padding="3pt">
                <xsl:if test="@span"><xsl:attribute name="number-columns-spanned"><xsl:value-of select="@span"/></xsl:attribute></xsl:if>
                <fo:block font-size="10pt"><xsl:apply-templates/></fo:block>
              </fo:table-cell>
            </xsl:for-each>
          </fo:table-row>
        </xsl:for-each>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <xsl:template match="figure">
    <fo:block border="0.5pt solid #999999" padding="6pt" text-align="center">[<xsl:value-of select="@src"/>] <xsl:apply-templates select="caption/node()"/></fo:block>
  </xsl:template>

  <xsl:template match="em"><fo:inline font-family="IPAexGothic"><xsl:apply-templates/></fo:inline></xsl:template>
  <xsl:template match="strong"><fo:inline font-family="IPAexGothic" font-weight="bold"><xsl:apply-templates/></fo:inline></xsl:template>
  <xsl:template match="a"><fo:basic-link external-destination="url({@href})" color="#1f4e79"><xsl:apply-templates/></fo:basic-link></xsl:template>
  <xsl:template match="br"><fo:block/></xsl:template>
  <xsl:template match="ruby"><xsl:apply-templates select="text()"/>(<xsl:value-of select="rt"/>)</xsl:template>
</xsl:stylesheet>
