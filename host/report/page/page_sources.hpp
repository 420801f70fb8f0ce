// The page's sources (heatmap.html, .css, .js in this folder), embedded at build time by
// cmake/LiqmapEmbedPage.cmake so the JS stays a readable, lintable file.
#pragma once

namespace liqmap::report::page_sources {

extern const char* const kHtml;
extern const char* const kCss;
extern const char* const kJs;
extern const char* const kLiveJs;  // live.js: the served page's updates (liqmap serve)

}  // namespace liqmap::report::page_sources
