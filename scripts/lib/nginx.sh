# shellcheck shell=bash
# nginx: one server block per WordPress site, all on loopback.

PQM_NGINX_PID=/run/nginx.pid

# File storage (PQM_FILES_DIR) of each site, served only through the
# `internal` location below when the plugin answers with X-Accel-Redirect
# (option pqm_x_accel_prefix / constant PQM_X_ACCEL_PREFIX = /pqm-protected-files).
pqm_files_dir_of() { if [[ $1 == test ]]; then echo /var/lib/pqm-client-panel/files-test; else echo /var/lib/pqm-client-panel/files; fi; }

# nginx_site_conf NAME HOST PORT [LISTEN...]
# LISTEN defaults to 127.0.0.1:PORT. Requests for another Host are redirected
# to HOST:PORT, because Debian's wp-config.php picks the site config by Host.
nginx_site_conf() {
    local name=$1 host=$2 port=$3 listen
    shift 3
    (($# > 0)) || set -- "127.0.0.1:$port"
    {
        echo "# PQM Client Panel: WordPress site $host:$port (scripts/lib/nginx.sh)"
        echo "server {"
        for listen in "$@"; do echo "    listen $listen;"; done
        cat <<CONF
    server_name $host;

    root $PQM_WP_CORE;
    index index.php;
    client_max_body_size 64m;

    access_log /var/log/nginx/pqm-$name.access.log;
    error_log /var/log/nginx/pqm-$name.error.log;

    if (\$host != "$host") {
        return 301 http://$host:$port\$request_uri;
    }

    # No dotfiles (.htaccess, .git …) and no raw templates or logs.
    location ~ /\. {
        deny all;
    }
    location ~* \.(hbs|log|sql)\$ {
        deny all;
    }

    # Debian keeps wp-content (plugins, themes, uploads) outside the core.
    location /wp-content/ {
        alias $PQM_WP_CONTENT/;
    }

    # Files authorised by the plugin (X-Accel-Redirect); never reachable directly.
    location /pqm-protected-files/ {
        internal;
        alias $(pqm_files_dir_of "$name")/;
        # nginx does not pass this one on from the PHP response.
        add_header X-Content-Type-Options nosniff always;
    }

    location / {
        try_files \$uri \$uri/ /index.php?\$args;
    }

    location ~ \.php\$ {
        include snippets/fastcgi-php.conf;
        fastcgi_pass unix:$PQM_FPM_SOCK;
        fastcgi_read_timeout 120s;
    }
}
CONF
    } | install_file "/etc/nginx/sites-available/pqm-$name"
    ln -sfn "/etc/nginx/sites-available/pqm-$name" "/etc/nginx/sites-enabled/pqm-$name"
}

ipv6_loopback() { [[ -r /proc/net/if_inet6 ]] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; }

write_nginx_sites() {
    nginx_site_conf demo 127.0.0.1 8080
    # Clients may resolve "localhost" to ::1 first (Node does): listen there too.
    if ipv6_loopback; then
        nginx_site_conf test localhost 8081 127.0.0.1:8081 '[::1]:8081'
    else
        nginx_site_conf test localhost 8081
    fi
    # Debian's default site (port 80) is not needed.
    rm -f /etc/nginx/sites-enabled/default
}

setup_nginx() {
    write_nginx_sites
    nginx -t -q || die "nginx configuration is invalid (nginx -t)"
    if pid_alive "$PQM_NGINX_PID"; then
        nginx -s reload
        ok "nginx reloaded"
    else
        log "starting nginx"
        nginx 8>&- 9>&- # without the run's lock files (see setup_fpm)
        wait_for "nginx" 15 pid_alive "$PQM_NGINX_PID"
        ok "nginx started"
    fi
}
