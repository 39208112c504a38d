package nostr.signer.dbus;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.ExportedObject;

/**
 * Works around a dbus-java 5.2.0 introspection bug: for a method returning a parameterized
 * {@link Tuple} (StoreKey's {@code (b ok, s npub)}), ExportedObject lists the out arguments twice.
 * The wire format is right; only the introspection XML is wrong. After export, the object's entry in
 * the connection's object tree is replaced by the generated XML with each such method's surplus
 * out arguments removed.
 */
public final class IntrospectionFix {
    private IntrospectionFix() {}

    /** Re-registers corrected introspection data for {@code object} exported at {@code path}. */
    public static void apply(DBusConnection bus, String path, DBusInterface object) throws DBusException {
        ExportedObject exported = new ExportedObject(object, false);
        String xml = exported.getIntrospectiondata();
        String fixed = fix(xml, object.getClass());
        if (!fixed.equals(xml)) {
            synchronized (bus.getObjectTree()) {
                bus.getObjectTree().add(path, exported, fixed);
            }
        }
    }

    /** Trims the out arguments of tuple-returning methods of {@code type} to their real count. */
    static String fix(String xml, Class<?> type) {
        String out = xml;
        for (Class<?> iface : type.getInterfaces()) {
            for (Method m : iface.getDeclaredMethods()) {
                if (Tuple.class.isAssignableFrom(m.getReturnType()) && m.getGenericReturnType() instanceof ParameterizedType pt) {
                    out = trim(out, m.getName(), pt.getActualTypeArguments().length);
                }
            }
        }
        return out;
    }

    private static String trim(String xml, String method, int outs) {
        Pattern block = Pattern.compile("(<method name=\"" + Pattern.quote(method) + "\" ?>)(.*?)(</method>)", Pattern.DOTALL);
        Matcher mb = block.matcher(xml);
        if (!mb.find()) {
            return xml;
        }
        Matcher arg = Pattern.compile("\\s*<arg type=\"[^\"]+\" direction=\"out\"/>").matcher(mb.group(2));
        StringBuilder body = new StringBuilder();
        int seen = 0;
        while (arg.find()) {
            seen++;
            arg.appendReplacement(body, seen <= outs ? Matcher.quoteReplacement(arg.group()) : "");
        }
        arg.appendTail(body);
        return xml.substring(0, mb.start()) + mb.group(1) + body + mb.group(3) + xml.substring(mb.end());
    }
}
