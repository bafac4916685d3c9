package dev.plumb.rpc.spring.internal;

import dev.plumb.rpc.RpcClient;
import dev.plumb.rpc.RpcService;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the beans that implement an {@link RpcService} interface, leaving out Plumb's own client proxies (a bean
 * that calls a remote service of that interface must not be served as if it were the implementation).
 */
public final class ServiceBeans {

    private ServiceBeans() {
    }

    /** The implementations among {@code beans}, in bean definition order. */
    public static List<Object> implementations(ListableBeanFactory beans) {
        List<Object> found = new ArrayList<>();
        for (String name : beans.getBeanNamesForAnnotation(RpcService.class)) {
            Object bean = beans.getBean(name);
            if (RpcClient.isProxy(bean)) {
                continue;
            }
            if (!implementsService(bean.getClass())) {
                continue; // e.g. a class annotated itself, not through an interface
            }
            found.add(bean);
        }
        return found;
    }

    private static boolean implementsService(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.isAnnotationPresent(RpcService.class) || implementsService(i)) {
                    return true;
                }
            }
        }
        return false;
    }
}
