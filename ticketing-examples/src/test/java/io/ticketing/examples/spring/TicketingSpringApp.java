package io.ticketing.examples.spring;

import io.ticketing.core.Ticketing;
import io.ticketing.servlet.RestApiServlet;
import io.ticketing.servlet.TicketingHttp;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot 3 application serving the ticketing API under {@code /api}, as docs/embedding.md shows it:
 * the servlet mounted by a {@link ServletRegistrationBean}, callers from Spring Security (HTTP Basic here,
 * any authentication works), and a {@link TicketingStreamsLifecycle} so that a graceful shutdown ends the
 * streams at once.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TicketingSpringApp {

    @Bean(destroyMethod = "close")
    Ticketing ticketing() {
        return Ticketing.builder().build();
    }

    @Bean
    TicketingHttp ticketingHttp(Ticketing ticketing) {
        return TicketingHttp.builder(ticketing)
                .principalResolver(new SpringSecurityPrincipals())
                .shutdownTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Bean
    ServletRegistrationBean<RestApiServlet> ticketingApi(TicketingHttp http) {
        ServletRegistrationBean<RestApiServlet> api = new ServletRegistrationBean<>(http.restServlet(), "/api/*");
        api.setName("ticketing");
        api.setAsyncSupported(true);
        return api;
    }

    @Bean
    TicketingStreamsLifecycle ticketingStreamsLifecycle(TicketingHttp http) {
        return new TicketingStreamsLifecycle(http);
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()) // the API checks roles
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))           // bearer-style API, no cookies
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("3").password("{noop}seller-password").roles("SELLER").build(),
                User.withUsername("7").password("{noop}buyer-password").roles("BUYER").build());
    }
}
