/* Compiled by the test capi_header_c99 with -std=c99 -Wall -Wextra -pedantic -Werror: the
 * public header must stay plain C99. */
#include "liqmap/liqmap.h"

int main(void) {
  liqmap_market market = {sizeof(liqmap_market), 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                           0};
  liqmap_run_options options = {sizeof(liqmap_run_options), LIQMAP_BACKEND_CPU, 1, NULL, NULL};
  liqmap_read_options read = {sizeof(liqmap_read_options), "auto", NULL, 0, -1.0};
  liqmap_output_options outputs = {sizeof(liqmap_output_options), "all", "float32", 0, 0};
  (void)market;
  (void)read;
  (void)outputs;
  (void)options;
  return LIQMAP_VERSION_MAJOR >= 0 ? 0 : 1;
}
