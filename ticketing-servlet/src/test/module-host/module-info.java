/** A host application as a module, for ModulePathIT: what a host on the module path writes. */
module io.ticketing.host {
    requires io.ticketing.servlet;            // brings io.ticketing.core and jakarta.servlet
    requires org.eclipse.jetty.ee10.servlet;  // the container of the Jetty adapter
    requires org.apache.tomcat.catalina;      // Tomcat's own module jars (tomcat-catalina, …), not tomcat-embed-core
}
