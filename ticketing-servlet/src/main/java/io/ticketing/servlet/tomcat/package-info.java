/**
 * Tomcat 10.1 helpers: the error report valve that answers the container's own errors as JSON. Needs Tomcat:
 * {@code tomcat-embed-core} on the class path, or on the module path Tomcat's module jars (module
 * {@code org.apache.tomcat.catalina}), since {@code tomcat-embed-core} holds its own copy of the
 * {@code jakarta.servlet} packages.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.servlet.tomcat;

import org.jspecify.annotations.NullMarked;
