/* Compiled by the test capi_header_c99 with -std=c99 -Wall -Wextra -pedantic -Werror: the
 * public header must stay plain C99. */
#include "liqmap/liqmap.h"

int main(void) {
  liqmap_market market = {sizeof(liqmap_market), 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  liqmap_run_options options = {sizeof(liqmap_run_options), LIQMAP_BACKEND_CPU, 1, NULL, NULL};
  (void)market;
  (void)options;
  return LIQMAP_VERSION_MAJOR >= 0 ? 0 : 1;
}
