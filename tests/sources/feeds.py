# ruff: noqa: E501  (feed documents keep their long lines, as real feeds do)
"""Feed documents written for these tests (real RSS 2.0 and Atom 1.0 syntax)."""

RSS_2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Berita Daerah</title>
    <link>https://berita.example.id/</link>
    <description>Kabar terbaru dari daerah</description>
    <language>id</language>
    <item>
      <title>Banjir &amp; longsor landa Bekasi</title>
      <link>https://berita.example.id/2024/03/banjir-bekasi?utm=rss&amp;ref=1</link>
      <guid isPermaLink="false">berita-2024-0001</guid>
      <pubDate>Tue, 05 Mar 2024 10:00:00 +0700</pubDate>
      <dc:creator>Redaksi Daerah</dc:creator>
      <description><![CDATA[<p>Warga <b>mengungsi</b> ke masjid &mdash; ketinggian air 1&nbsp;meter.</p><script>alert('xss')</script><p>Pemkot: &quot;tetap tenang&quot;</p>]]></description>
    </item>
    <item>
      <title>Klarifikasi: vaksin palsu di Jawa Timur?</title>
      <link>https://berita.example.id/2024/03/klarifikasi-vaksin</link>
      <pubDate>Wed, 06 Mar 2024 08:30:00 GMT</pubDate>
      <description>Dinas Kesehatan menyatakan kabar itu &lt;em&gt;hoaks&lt;/em&gt;. Caf&#233; 🙏 — ꦗꦮ</description>
      <content:encoded><![CDATA[<div><p>Dinas Kesehatan menyatakan kabar itu <em>hoaks</em>.</p><p>Vaksin yang beredar resmi dan terdaftar. Caf&eacute; 🙏 ꦗꦮ</p></div>]]></content:encoded>
    </item>
    <item>
      <title>Tanpa tautan maupun guid</title>
      <description>Pengumuman jadwal pemadaman listrik bergilir.</description>
    </item>
  </channel>
</rss>
""".encode()

ATOM_1 = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">
  <title>Humas Provinsi</title>
  <id>urn:uuid:6b0b6a43-7c1a-4d7e-9a59-0a5c1d1a2b3c</id>
  <updated>2024-03-05T03:00:00Z</updated>
  <link rel="self" href="/feeds/atom"/>
  <entry>
    <id>tag:humas.example.id,2024:siaran-17</id>
    <title type="html">Siaran pers: isu &amp;lt;bantuan tunai&amp;gt; tidak benar</title>
    <link rel="alternate" href="/siaran/17"/>
    <updated>2024-03-05T10:00:00+07:00</updated>
    <author><name>Humas Setda</name></author>
    <summary type="text">Ringkasan &amp; klarifikasi</summary>
    <content type="html">&lt;p&gt;Beredar pesan berantai soal &lt;b&gt;bantuan tunai&lt;/b&gt; Rp 5 juta.&lt;/p&gt;&lt;p&gt;Pesan itu tidak benar — jangan klik tautannya.&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:humas.example.id,2024:siaran-18</id>
    <title>Jadwal layanan Samsat keliling</title>
    <updated>2024-03-06T01:15:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Samsat keliling hadir di <em>Alun-alun</em> Sabtu ini.</p></div></content>
  </entry>
</feed>
""".encode()

# Not well-formed (undefined entity, unclosed tags), but the lenient parser recovers an entry.
MALFORMED_RECOVERABLE = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rusak</title>
<item><title>Isu gempa susulan</title><guid>rusak-1</guid>
<description>BMKG membantah &bogus; kabar <b>gempa</b></description></item>
</channel>
"""

# Not XML at all: nothing to recover.
MALFORMED_HOPELESS = b"<<<< this is not <xml at all &&& >>>"

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Maintenance</title></head><body><p>Situs sedang dalam perbaikan.</p></body></html>
"""
