/**
 * Tomcat 10.1 helpers: the error report valve that answers the container's own errors as JSON.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.servlet.tomcat;

import org.jspecify.annotations.NullMarked;
