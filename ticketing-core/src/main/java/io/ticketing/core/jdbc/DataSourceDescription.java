package io.ticketing.core.jdbc;

import io.ticketing.core.internal.Secrets;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import javax.sql.DataSource;

/**
 * Names the database a {@link DataSource} points at, for error messages and logs, without depending on
 * any pool: the JDBC URL from a public {@code getJdbcUrl()} (HikariCP), {@code getUrl()} or
 * {@code getURL()} (most driver data sources), else the data source's {@code toString()}; with any
 * password in it masked ({@link Secrets#maskUrl}).
 */
final class DataSourceDescription {
    private static final String[] URL_GETTERS = {"getJdbcUrl", "getUrl", "getURL"};

    private DataSourceDescription() {
    }

    static String of(DataSource dataSource) {
        for (String getter : URL_GETTERS) {
            try {
                Method method = dataSource.getClass().getMethod(getter);
                if (method.getReturnType() == String.class && Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                    Object url = method.invoke(dataSource);
                    if (url != null) {
                        return Secrets.maskUrl(url.toString());
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this getter; try the next
            }
        }
        return Secrets.maskUrl(dataSource.toString());
    }
}
