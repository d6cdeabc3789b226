#include "render/sanitize.hpp"
#include "render/text.hpp"

#include <gtest/gtest.h>

namespace reelfeed::render {
namespace {

TEST(Sanitize, KeepsOrdinaryMarkupAndLinks) {
  EXPECT_EQ(sanitize_html("<p>Hello <b>bold</b> <a href=\"https://x.example/a?b=1&amp;c=2\" "
                          "title=\"T\">link</a></p>"),
            "<p>Hello <b>bold</b> <a href=\"https://x.example/a?b=1&amp;c=2\" "
            "title=\"T\">link</a></p>");
  EXPECT_EQ(sanitize_html("<ul><li>a<li>b</ul>"), "<ul><li>a</li><li>b</li></ul>");
  EXPECT_EQ(sanitize_html("<img src=\"/rel.png\" alt=\"x\">"), "<img src=\"/rel.png\" alt=\"x\">");
}

TEST(Sanitize, DropsScriptsStylesFramesPluginsAndForms) {
  const std::string out =
      sanitize_html("<script>alert(1)</script><style>b{}</style><iframe src=x>f</iframe>"
                    "<object data=a>o</object><embed src=b><noscript>ns</noscript><p>kept</p>");
  EXPECT_EQ(out, "<p>kept</p>");
  // gumbo 0.10 places text that follows a form's first child outside the form, so only
  // the controls are guaranteed gone; stray text is harmless.
  const std::string form = sanitize_html("<form action=/x><input name=q><button>b</button>"
                                         "<select><option>o</select></form>");
  EXPECT_EQ(form.find('<'), std::string::npos) << form;
}

TEST(Sanitize, DropsEventHandlersAndUnsafeUrls) {
  EXPECT_EQ(sanitize_html("<p onclick=\"x()\" style=\"color:red\" class=c>t</p>"), "<p>t</p>");
  EXPECT_EQ(sanitize_html("<a href=\"javascript:alert(1)\">a</a>"), "<a>a</a>");
  EXPECT_EQ(sanitize_html("<a href=\" JaVa\tScRiPt:alert(1)\">a</a>"), "<a>a</a>");
  EXPECT_EQ(sanitize_html("<img src=\"data:image/png;base64,AAAA\">"), "<img>");
  EXPECT_EQ(sanitize_html("<a href=\"mailto:a@b.c\">m</a>"), "<a href=\"mailto:a@b.c\">m</a>");
}

TEST(Sanitize, DropsForeignContentAndComments) {
  EXPECT_EQ(sanitize_html("<svg><script>alert(1)</script><a href=x>s</a></svg>a<!-- c -->b"), "ab");
  EXPECT_EQ(sanitize_html("<math><mi>x</mi></math>y"), "y");
}

TEST(Sanitize, UnwrapsUnknownElementsAndEscapesText) {
  EXPECT_EQ(sanitize_html("<custom-tag>in <b>b</b></custom-tag>"), "in <b>b</b>");
  EXPECT_EQ(sanitize_html("a &lt;script&gt; &amp; b"), "a &lt;script&gt; &amp; b");
  EXPECT_EQ(sanitize_html("x < y & z"), "x &lt; y &amp; z");
}

TEST(Sanitize, ClosesUnbalancedMarkup) {
  EXPECT_EQ(sanitize_html("<p><b>open"), "<p><b>open</b></p>");
  EXPECT_EQ(sanitize_html("</div>stray</p>"), "stray<p></p>");
}

TEST(Sanitize, UrlSchemes) {
  EXPECT_TRUE(safe_url("https://a.example/"));
  EXPECT_TRUE(safe_url("HTTP://a.example/"));
  EXPECT_TRUE(safe_url("/relative/path:with-colon"));
  EXPECT_TRUE(safe_url("page.html?x=a:b"));
  EXPECT_FALSE(safe_url("javascript:alert(1)"));
  EXPECT_FALSE(safe_url("vbscript:x"));
  EXPECT_FALSE(safe_url("data:text/html,<script>"));
  EXPECT_FALSE(safe_url("\x01javascript:x"));
}

TEST(HtmlToText, CollapsesWhitespaceAndSeparatesBlocks) {
  EXPECT_EQ(html_to_collapsed_text("<p>One  <b>two</b></p><p>three\n</p><script>no</script>"),
            "One two three");
  EXPECT_EQ(html_to_collapsed_text("AT&amp;T &lt;b&gt;"), "AT&T <b>");
  EXPECT_EQ(html_to_collapsed_text(""), "");
}

TEST(CleanText, RemovesXmlIllegalCharactersAndRepairsUtf8) {
  EXPECT_EQ(clean_text("a\x01"
                       "b\x0B"
                       "c\td\ne\rf"),
            "abc\td\ne\rf");
  EXPECT_EQ(clean_text("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(clean_text("bad\xFFz"), "bad\xEF\xBF\xBDz");
  EXPECT_EQ(clean_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong '/'
  EXPECT_EQ(clean_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
  EXPECT_EQ(clean_text("\xEF\xBF\xBE"), "");                                     // U+FFFE
  EXPECT_EQ(clean_text("\xF0\x9F\x8E\xAC"), "\xF0\x9F\x8E\xAC");                 // U+1F3AC
  EXPECT_EQ(clean_text("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // truncated
}

constexpr const char* k_article = "https://variety.com/2024/film/news/ai-deal-1235/";

TEST(SanitizeBase, RelativeReferencesBecomeAbsoluteAgainstTheArticle) {
  EXPECT_EQ(sanitize_html("<a href=\"/v/2024/x\">a</a>", k_article),
            "<a href=\"https://variety.com/v/2024/x\">a</a>");
  EXPECT_EQ(sanitize_html("<img src=\"still.jpg\" alt=\"s\">", k_article),
            "<img src=\"https://variety.com/2024/film/news/ai-deal-1235/still.jpg\" alt=\"s\">");
  EXPECT_EQ(sanitize_html("<img src=\"../../img/a.png\">", k_article),
            "<img src=\"https://variety.com/2024/film/img/a.png\">");
  EXPECT_EQ(sanitize_html("<img src=\"//cdn.example/x.jpg\">", k_article),
            "<img src=\"https://cdn.example/x.jpg\">");
  EXPECT_EQ(sanitize_html("<a href=\"#note\">n</a>", k_article),
            "<a href=\"https://variety.com/2024/film/news/ai-deal-1235/#note\">n</a>");
  EXPECT_EQ(sanitize_html("<blockquote cite=\" /quote?a=1&amp;b=2 \">q</blockquote>", k_article),
            "<blockquote cite=\"https://variety.com/quote?a=1&amp;b=2\">q</blockquote>");
}

TEST(SanitizeBase, FragmentAndQueryReferencesKeepTheBaseDocument) {
  // RFC 3986 5.2.2: "#f" is the same document; "?q" replaces only the query.
  const char* base = "https://deadline.com/2024/05/story.html?ref=rss#top";
  EXPECT_EQ(sanitize_html("<a href=\"#vote\">v</a>", base),
            "<a href=\"https://deadline.com/2024/05/story.html?ref=rss#vote\">v</a>");
  EXPECT_EQ(sanitize_html("<a href=\"?page=2 x\">p</a>", base),
            "<a href=\"https://deadline.com/2024/05/story.html?page=2%20x\">p</a>");
}

TEST(SanitizeBase, AbsoluteAndUnsafeReferencesAreUnaffectedByTheBase) {
  EXPECT_EQ(sanitize_html("<a href=\"https://x.example/a?b=1&amp;c=2\">a</a>", k_article),
            "<a href=\"https://x.example/a?b=1&amp;c=2\">a</a>");
  EXPECT_EQ(sanitize_html("<a href=\"mailto:a@b.c\">m</a>", k_article),
            "<a href=\"mailto:a@b.c\">m</a>");
  EXPECT_EQ(sanitize_html("<a href=\"javascript:alert(1)\">a</a>", k_article), "<a>a</a>");
  EXPECT_EQ(sanitize_html("<a href=\" java\tscript:x\">a</a>", k_article), "<a>a</a>");
}

TEST(SanitizeBase, WithoutAUsableBaseRelativeReferencesStay) {
  for (const char* base : {"", "ftp://files.example/a/", "not a url", "/relative/base"}) {
    EXPECT_EQ(sanitize_html("<img src=\"/rel.png\">", base), "<img src=\"/rel.png\">") << base;
  }
}

TEST(SanitizeBase, ResultIsStableWhenSanitisedAgain) {
  const std::string once =
      sanitize_html("<p><a href=\"/a b\">x</a><img src=\"i.png\"></p>", k_article);
  EXPECT_EQ(sanitize_html(once, k_article), once);
  EXPECT_EQ(once.find("href=\"/"), std::string::npos) << once;
}

} // namespace
} // namespace reelfeed::render
