package io.ticketing.examples.spring;

import io.ticketing.core.model.User;
import io.ticketing.servlet.PrincipalResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller as Spring Security authenticated it: the authentication's name is the numeric user id, and
 * the authority {@code ROLE_SELLER} or {@code ROLE_BUYER} its role. Anyone else is anonymous. Reads the
 * security context of the request thread, which Spring Security's filter chain set before the servlet runs.
 */
final class SpringSecurityPrincipals implements PrincipalResolver {
    @Override
    public Optional<User> resolve(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(authentication.getName());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            switch (authority.getAuthority()) {
                case "ROLE_SELLER" -> {
                    return Optional.of(User.seller(id));
                }
                case "ROLE_BUYER" -> {
                    return Optional.of(User.buyer(id));
                }
                default -> {
                    // another application role: not one of ours
                }
            }
        }
        return Optional.empty();
    }
}
