import feed


def test_titles():
    doc = b"<rss><channel><item><title>One</title></item><item><title>Two</title></item></channel></rss>"
    assert feed.feed_titles(doc) == ["One", "Two"]
