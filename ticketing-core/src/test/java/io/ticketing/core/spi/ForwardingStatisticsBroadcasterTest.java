package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingStatisticsBroadcasterTest {

    /** Every method of the SPI, defaults included, reaches the delegate once, with the same arguments. */
    @Test
    void everyMethodIsForwardedToTheDelegate() throws Exception {
        List<String> calls = new ArrayList<>();
        StatisticsBroadcaster recorder = (StatisticsBroadcaster) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StatisticsBroadcaster.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + List.of(method.getParameterTypes()));
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
        ForwardingStatisticsBroadcaster forwarding = new ForwardingStatisticsBroadcaster(recorder);
        int methods = 0;
        for (Method method : StatisticsBroadcaster.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            calls.clear();
            Object[] args = new Object[method.getParameterCount()];
            Class<?>[] types = method.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                args[i] = types[i] == long.class ? 12L : null;
            }
            Object result = method.invoke(forwarding, args);
            assertEquals(List.of(method.getName() + List.of(types)), calls, method.toString());
            if (method.getReturnType() == boolean.class) {
                assertEquals(Boolean.FALSE, result, method + " returns the delegate's answer");
            }
            methods++;
        }
        assertTrue(methods >= 12, "methods checked: " + methods);
    }
}
