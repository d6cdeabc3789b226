// The published documents through the real server on 127.0.0.1: every URL's document names
// that URL as its self link, and conditional requests work per URL.
#include "app/publish.hpp"
#include "stories.hpp"
#include "support/gunzip.hpp"

#include <future>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace reelfeed::app {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using test::gunzip;

/// A story whose summary has markup and an entity, as the documents carry them.
Story story(std::int64_t id, std::string title, int day) {
  Story s = test::story(id, std::move(title), day);
  s.summary = "<p>" + s.title + " &amp; more.</p>";
  return s;
}

PublishPlan two_topics() {
  PublishPlan plan;
  plan.title = "Out";
  for (const char* name : {"ai-hollywood", "money"}) {
    TopicOutput topic{name, std::string("Topic ") + name, {}};
    for (int i = 1; i <= 3; ++i) {
      topic.items.push_back(
          render::Item{story(i, std::string(name) + " story " + std::to_string(i), i), {}});
    }
    plan.topics.push_back(std::move(topic));
  }
  return plan;
}

/// The self link as a feed reader finds it in each format.
std::string self_link(const std::string& ext, const std::string& body) {
  if (ext == "json") {
    return nlohmann::json::parse(body).value("feed_url", "");
  }
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(body.data(), body.size())) << body;
  if (ext == "atom") {
    return doc.child("feed")
        .find_child_by_attribute("link", "rel", "self")
        .attribute("href")
        .value();
  }
  const pugi::xml_node link = doc.child("rss").child("channel").child("atom:link");
  EXPECT_STREQ(link.attribute("rel").value(), "self");
  return link.attribute("href").value();
}

class PublishServe : public ::testing::Test {
protected:
  void SetUp() override {
    m_server = std::make_unique<serve::Server>(m_io, "127.0.0.1", 0);
    m_base = "http://127.0.0.1:" + std::to_string(m_server->port());
    m_server->publish(std::make_shared<const serve::Snapshot>(make_snapshot(two_topics(), m_base)));
    m_thread = std::thread([this] { m_io.run(); });
  }
  void TearDown() override {
    net::post(m_io, [this] { m_server->stop(); });
    m_thread.join();
  }

  http::response<http::string_body>
  get(const std::string& path, std::vector<std::pair<http::field, std::string>> headers = {}) {
    net::io_context io;
    tcp::socket socket(io);
    socket.connect({net::ip::make_address("127.0.0.1"), m_server->port()});
    http::request<http::empty_body> req{http::verb::get, path, 11};
    req.set(http::field::host, "127.0.0.1");
    for (auto& [field, value] : headers) {
      req.set(field, value);
    }
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }

  net::io_context m_io;
  std::unique_ptr<serve::Server> m_server;
  std::thread m_thread;
  std::string m_base;
};

TEST_F(PublishServe, EachUrlServesADocumentWhoseSelfLinkIsThatUrl) {
  for (const std::string ext : {"atom", "rss", "json"}) {
    const std::string feed_url = m_base + "/feed." + ext;
    const std::string topic_url = m_base + "/topics/ai-hollywood." + ext;
    const auto feed = get("/feed." + ext);
    const auto topic = get("/topics/ai-hollywood." + ext);
    const auto money = get("/topics/money." + ext);
    ASSERT_EQ(feed.result(), http::status::ok) << ext;
    ASSERT_EQ(topic.result(), http::status::ok) << ext;
    EXPECT_EQ(self_link(ext, feed.body()), feed_url);
    EXPECT_EQ(self_link(ext, topic.body()), topic_url);
    EXPECT_EQ(self_link(ext, money.body()), m_base + "/topics/money." + ext);
    // The same document otherwise: only the self link differs.
    std::string renamed = feed.body();
    const std::size_t at = renamed.find(feed_url);
    ASSERT_NE(at, std::string::npos) << ext;
    renamed.replace(at, feed_url.size(), topic_url);
    EXPECT_EQ(renamed, topic.body()) << ext;
    EXPECT_NE(feed.body().find("ai-hollywood story 3"), std::string::npos) << ext;
    // Different bytes, different tags.
    EXPECT_NE(feed[http::field::etag], topic[http::field::etag]) << ext;
    EXPECT_EQ(feed[http::field::content_type], topic[http::field::content_type]) << ext;
  }
}

TEST_F(PublishServe, ConditionalRequestsMatchEachUrlsOwnTag) {
  for (const std::string ext : {"atom", "rss", "json"}) {
    const std::string feed_path = "/feed." + ext;
    const std::string topic_path = "/topics/ai-hollywood." + ext;
    const std::string feed_tag(get(feed_path)[http::field::etag]);
    const std::string topic_tag(get(topic_path)[http::field::etag]);
    ASSERT_FALSE(feed_tag.empty());
    EXPECT_EQ(get(feed_path, {{http::field::if_none_match, feed_tag}}).result(),
              http::status::not_modified)
        << ext;
    EXPECT_EQ(get(topic_path, {{http::field::if_none_match, topic_tag}}).result(),
              http::status::not_modified)
        << ext;
    // One URL's tag does not validate the other's document.
    const auto crossed = get(topic_path, {{http::field::if_none_match, feed_tag}});
    EXPECT_EQ(crossed.result(), http::status::ok) << ext;
    EXPECT_EQ(self_link(ext, crossed.body()), m_base + topic_path);
    EXPECT_EQ(get(feed_path, {{http::field::if_none_match, topic_tag}}).result(), http::status::ok)
        << ext;

    // The gzip representations: each its own body and tag, and 304 on its own tag.
    const auto feed_gz = get(feed_path, {{http::field::accept_encoding, "gzip"}});
    const auto topic_gz = get(topic_path, {{http::field::accept_encoding, "gzip"}});
    ASSERT_EQ(feed_gz[http::field::content_encoding], "gzip");
    EXPECT_EQ(self_link(ext, gunzip(feed_gz.body())), m_base + feed_path);
    EXPECT_EQ(self_link(ext, gunzip(topic_gz.body())), m_base + topic_path);
    const std::string feed_gz_tag(feed_gz[http::field::etag]);
    const std::string topic_gz_tag(topic_gz[http::field::etag]);
    EXPECT_NE(feed_gz_tag, topic_gz_tag);
    EXPECT_NE(feed_gz_tag, feed_tag);
    EXPECT_EQ(get(feed_path, {{http::field::accept_encoding, "gzip"},
                              {http::field::if_none_match, feed_gz_tag}})
                  .result(),
              http::status::not_modified)
        << ext;
    EXPECT_EQ(get(topic_path, {{http::field::accept_encoding, "gzip"},
                               {http::field::if_none_match, feed_gz_tag}})
                  .result(),
              http::status::ok)
        << ext;
  }
}

TEST_F(PublishServe, AnUnchangedRepublishKeepsEachUrlsTag) {
  const std::string feed_tag(get("/feed.atom")[http::field::etag]);
  const std::string topic_tag(get("/topics/ai-hollywood.atom")[http::field::etag]);
  // The daemon republishes with the snapshot being served as `previous`.
  std::promise<void> done;
  net::post(m_io, [&] {
    const serve::Snapshot first = make_snapshot(two_topics(), m_base);
    m_server->publish(
        std::make_shared<const serve::Snapshot>(make_snapshot(two_topics(), m_base, &first)));
    done.set_value();
  });
  done.get_future().wait();
  EXPECT_EQ(get("/feed.atom", {{http::field::if_none_match, feed_tag}}).result(),
            http::status::not_modified);
  EXPECT_EQ(get("/topics/ai-hollywood.atom", {{http::field::if_none_match, topic_tag}}).result(),
            http::status::not_modified);
}

} // namespace
} // namespace reelfeed::app
