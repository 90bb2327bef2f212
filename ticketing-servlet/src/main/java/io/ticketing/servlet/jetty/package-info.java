/**
 * Embedded Jetty 12 helpers: mounting the servlets and answering the server's own errors as JSON.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.servlet.jetty;

import org.jspecify.annotations.NullMarked;
