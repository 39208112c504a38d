package nostr.signer.dbus;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * D-Bus introspection XML reduced to what a caller depends on: per interface, each method's
 * argument directions and types in order and each signal's types (names of arguments are
 * documentation and dbus-java does not export them).
 */
final class Introspection {
    private Introspection() {}

    record Iface(Map<String, List<String>> methods, Map<String, List<String>> signals) {}

    static Map<String, Iface> interfaces(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Map<String, Iface> out = new LinkedHashMap<>();
        NodeList ifaces = doc.getElementsByTagName("interface");
        for (int i = 0; i < ifaces.getLength(); i++) {
            Element iface = (Element) ifaces.item(i);
            Map<String, List<String>> methods = new java.util.TreeMap<>();
            Map<String, List<String>> signals = new java.util.TreeMap<>();
            NodeList ms = iface.getElementsByTagName("method");
            for (int j = 0; j < ms.getLength(); j++) {
                Element m = (Element) ms.item(j);
                List<String> args = new ArrayList<>();
                NodeList as = m.getElementsByTagName("arg");
                for (int k = 0; k < as.getLength(); k++) {
                    Element a = (Element) as.item(k);
                    String dir = a.getAttribute("direction").isEmpty() ? "in" : a.getAttribute("direction");
                    args.add(dir + ":" + a.getAttribute("type"));
                }
                methods.put(m.getAttribute("name"), args);
            }
            NodeList ss = iface.getElementsByTagName("signal");
            for (int j = 0; j < ss.getLength(); j++) {
                Element s = (Element) ss.item(j);
                List<String> types = new ArrayList<>();
                NodeList as = s.getElementsByTagName("arg");
                for (int k = 0; k < as.getLength(); k++) {
                    types.add(((Element) as.item(k)).getAttribute("type"));
                }
                signals.put(s.getAttribute("name"), types);
            }
            out.put(iface.getAttribute("name"), new Iface(methods, signals));
        }
        return out;
    }
}
