# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_personapack_global_optspecs
    string join \n kubeconfig= context= cluster= user= n/namespace= request-timeout= s/server= token= as= as-group= as-uid= certificate-authority= client-certificate= client-key= insecure-skip-tls-verify tls-server-name= disable-compression v/v= kind= cache-dir= color= h/help V/version
end

function __fish_kubectl_personapack_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_personapack_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_personapack_using_subcommand
    set -l cmd (__fish_kubectl_personapack_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "list" -d 'List PersonaPacks: enabled, personas, installed, phase'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "ls" -d 'List PersonaPacks: enabled, personas, installed, phase'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "describe" -d 'Show a PersonaPack in detail: settings, personas, status, events'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "status" -d 'Show the live state of a pack\'s agents, or wait for it to be Ready/Inactive'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "enable" -d 'Enable a pack (wizard on a terminal, or flags): credentials, settings, then the team comes up'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "disable" -d 'Disable a pack (the controller deletes its agents and managed credentials), or exclude personas'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "suspend" -d 'Pause a team: suspend its schedules (spec.suspend), nothing deleted, memory kept'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "resume" -d 'Resume a suspended team: its schedules run again'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "tree" -d 'Show everything a pack generated as an ownership tree, with health'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "render" -d 'Print the objects the Sympozium controller stamps for a pack (offline with -f)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "diff" -d 'Compare a pack\'s live agents with what the controller would stamp now (exit 1 if they differ)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "runs" -d 'Show what the team\'s agents ran, what it cost, and one run in full'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "run" -d 'Start a run of a persona now (as Sympozium\'s web UI does), optionally waiting for its verdict'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "logs" -d 'Print (or follow) the agent\'s log of a persona\'s latest run, or of one run'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "seed" -d 'Write personas\' memory seeds that Sympozium never wrote (only into untouched memory)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "check" -d 'Check the cluster before and after an upgrade: API served, leftovers, controller, missing references (exit 1 on a problem)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "migrate" -d 'Carry PersonaPacks across the upgrade to Ensembles (memory and credentials kept), or convert manifests (-f)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "options" -d 'Print the list of flags inherited by all commands'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s l -l selector -d 'Label selector to filter on (e.g. -l team=sre)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s o -l output -d 'Output format: json, yaml, wide, name, jsonpath=TEMPLATE, jsonpath-file=FILE, custom-columns=SPEC, custom-columns-file=FILE' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l sort-by -d 'Sort by a JSONPath expression\'s value (e.g. .metadata.name, {.status.installedCount})' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s L -l label-columns -d 'A column for each of these label keys (comma list, or the flag repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l chunk-size -d 'Return large lists in chunks rather than all at once. Pass 0 to disable' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s A -l all-namespaces -d 'List PersonaPacks across all namespaces'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l no-headers -d 'Don\'t print headers'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l show-labels -d 'Show all labels as the last column'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s w -l watch -d 'After listing, watch for changes and print each changed pack'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l watch-only -d 'Watch for changes without listing first'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand list" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s l -l selector -d 'Label selector to filter on (e.g. -l team=sre)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s o -l output -d 'Output format: json, yaml, wide, name, jsonpath=TEMPLATE, jsonpath-file=FILE, custom-columns=SPEC, custom-columns-file=FILE' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l sort-by -d 'Sort by a JSONPath expression\'s value (e.g. .metadata.name, {.status.installedCount})' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s L -l label-columns -d 'A column for each of these label keys (comma list, or the flag repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l chunk-size -d 'Return large lists in chunks rather than all at once. Pass 0 to disable' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s A -l all-namespaces -d 'List PersonaPacks across all namespaces'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l no-headers -d 'Don\'t print headers'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l show-labels -d 'Show all labels as the last column'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s w -l watch -d 'After listing, watch for changes and print each changed pack'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l watch-only -d 'Watch for changes without listing first'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand ls" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand describe" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s o -l output -d 'Output format (json or yaml give the report as a document)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l timeout -d 'How long --wait may take' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l no-headers -d 'Don\'t print the personas table\'s headers'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s w -l watch -d 'Keep watching and redraw when anything changes (Ctrl-C to stop)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l wait -d 'Wait until the controller reports the pack Ready (enabled) or Inactive (disabled); exit 1 on Error or timeout'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand status" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l provider -d 'Model provider; sets authRefs (and baseURL for local providers)' -r -f -a "openai\t''
anthropic\t''
azure-openai\t''
ollama\t''
lm-studio\t''
llama-server\t''
bedrock\t''
custom\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l secret -d 'Use this existing Secret (in the pack\'s namespace) for the provider\'s key' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l api-key-env -d 'Read the API key from this environment variable' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l api-key -d 'Refused on purpose: a key on the command line lands in shell history and the process list' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l aws-region -d 'AWS region for --provider bedrock (keys come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l model -d 'Model for every persona (opt-in: otherwise each persona keeps its own)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l base-url -d 'Base URL of the model endpoint (defaults for ollama, lm-studio, llama-server)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l model-ref -d 'Ensembles (Sympozium v0.9+): run every agent config without its own provider on this Model (spec.modelRef: NAME or NAMESPACE/NAME; no key needed); "" removes it' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l task -d 'Team objective, prepended to every persona\'s scheduled task (spec.taskOverride)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l exclude -d 'Personas to leave out (sets spec.excludePersonas exactly; comma-separated or repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona -d 'Re-include these excluded personas (and change nothing else)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l skill-param -d 'Skill parameter, e.g. github-gitops.repo=org/repo (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l policy -d 'SympoziumPolicy for the pack\'s agents (spec.policyRef)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l channel -d 'Bind every persona to these channels: telegram, slack, discord, whatsapp (replaces their lists)' -r -f -a "telegram\t''
slack\t''
discord\t''
whatsapp\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l channel-token-env -d 'A channel\'s bot token from this environment variable, stored in Secret PACK-TYPE-secret (binds the channel)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l channel-token-stdin -d 'A channel\'s bot token from standard input, stored in Secret PACK-TYPE-secret (binds the channel)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l channel-secret -d 'An existing Secret holding a channel\'s bot token, e.g. slack=team-slack (binds the channel; must exist)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l heartbeat -d 'Every scheduled persona\'s heartbeat: an interval (30m, 1h, 6h, 24h; clears its cron) or a cron line' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l agent-sandbox -d 'Run the pack\'s agents in Agent Sandbox with this runtime class (gvisor when none is given; =false turns it off)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l github-token-env -d 'The github-gitops skill\'s token from this environment variable (Secret github-gitops-token in sympozium-system)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l system-prompt-file -d 'Replace a persona\'s system prompt with a file\'s text, e.g. lead=lead.md (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona-skills -d 'Replace a persona\'s skills, e.g. lead=memory,github-gitops (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona-model -d 'One persona\'s own model, e.g. lead=gpt-4o (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona-provider -d 'Ensembles: pin one agent config to its own provider (off the Ensemble\'s Model), e.g. lead=anthropic' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona-base-url -d 'Ensembles: one agent config\'s own base URL, e.g. lead=http://vllm:8000/v1' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l persona-subagents -d 'Ensembles: one agent config\'s subagent limits, e.g. \'lead={"maxDepth":2,"maxConcurrent":3}\'' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l channel-access-control -d 'Ensembles: who may reach the agents on each channel, exactly, e.g. \'{"slack":{"allowedSenders":["U1"]}}\'; \'{}\' clears' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l relationships -d 'Ensembles: the relationships exactly, as a JSON list of {source, target, type[, condition, timeout, resultFormat]}; \'[]\' clears' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l workflow-type -d 'Ensembles: how the agent configs work together' -r -f -a "autonomous\t''
pipeline\t''
delegation\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l shared-memory -d 'Ensembles: a memory pool every agent config shares (=false turns it off)' -r -f -a "true\t''
false\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l shared-memory-size -d 'Ensembles: the shared memory\'s PVC size, e.g. 5Gi' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l stimulus-prompt -d 'Ensembles: the stimulus\'s prompt, delivered to the agent config its relationship names' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l stimulus-name -d 'Ensembles: the stimulus\'s name (its node in the relationships; default stimulus)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l stimulus-trigger -d 'Ensembles: when the stimulus fires: onReady (once every agent is ready) or manual (run PACK --stimulus)' -r -f -a "onReady\t''
manual\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l first-tick -d 'Ensembles: every schedule\'s first run: immediate, or afterInterval (enabling spends no tokens at once)' -r -f -a "immediate\t''
afterInterval\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l into -d 'Copy the pack from its namespace (-n, e.g. sympozium-system) into this one, disabled, then enable the copy' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s o -l output -d 'With --dry-run: the objects as they would be after the change (json|yaml), Secret values redacted' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l timeout -d 'How long --wait may take' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l api-key-stdin -d 'Read the API key from standard input'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l github-token-stdin -d 'The github-gitops skill\'s token from standard input'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l create-namespace -d 'With --into: create the namespace if it does not exist'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s y -l yes -d 'Don\'t ask: no wizard, no confirmation'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l adopt-secret -d 'Write the key into an existing Secret of the provider\'s name that this plugin did not create (its other keys stay)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l prune-secrets -d 'Delete Secrets this plugin wrote for the pack that authRefs no longer names (e.g. the old provider\'s key)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l wait -d 'Wait until the controller reports the pack Ready (enabled) or Inactive (disabled); exit 1 on Error or timeout'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand enable" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l persona -d 'Exclude only these personas (spec.excludePersonas); the pack stays enabled' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s o -l output -d 'With --dry-run: the objects as they would be after the change (json|yaml), Secret values redacted' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l timeout -d 'How long --wait may take' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s y -l yes -d 'Don\'t ask for confirmation (required when stdin is not a terminal)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l prune-secrets -d 'Also delete Secrets this plugin wrote for the pack that authRefs no longer names (the controller never does)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l wait -d 'Wait until the controller reports the pack Ready (enabled) or Inactive (disabled); exit 1 on Error or timeout'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand disable" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l persona -d 'Only these personas\' schedules (comma-separated or repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -s o -l output -d 'With --dry-run: the schedules as they would be after the change (json|yaml)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand suspend" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l persona -d 'Only these personas\' schedules (comma-separated or repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -s o -l output -d 'With --dry-run: the schedules as they would be after the change (json|yaml)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand resume" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s o -l output -d 'Output format: json or yaml give the nested tree as a document' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l depth -d 'Show at most this many levels below the pack' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l condition-types -d 'Condition types that make the READY column, first present wins' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l runs -d 'Show the newest N runs of each schedule (with their Jobs and Pods); 0 shows every run' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l all-kinds -d 'Look through every namespaced kind the server serves, not only the kinds Sympozium creates (exhaustive, like kubectl-tree; slower)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l no-headers -d 'Don\'t print headers'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s w -l watch -d 'Keep watching and redraw when anything changes (Ctrl-C to stop)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand tree" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s f -l filename -d 'Render PersonaPacks from YAML or JSON files, directories or "-" (stdin), offline (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s o -l output -d 'Output format: yaml (default, one document per object) or json (a List)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand render" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -s o -l output -d 'Output format: json or yaml give the differences as a document' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand diff" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l persona -d 'Only these personas (comma-separated or repeated)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l phase -d 'Only runs in this phase (Pending, Running, Succeeded, Failed, ...)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l since -d 'Only runs created within this long (e.g. 30m, 24h)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s o -l output -d 'Output format: wide adds input/output tokens, tool calls and the error; json|yaml the AgentRuns as a List' -r -f -a "json\t''
yaml\t''
wide\t''
name\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l no-headers -d 'Don\'t print headers (nor the totals line)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s w -l watch -d 'After listing, watch for runs starting and changing phase (Ctrl-C to stop)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand runs" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l task -d 'The task; default: the persona\'s scheduled task' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l task-file -d 'Read the task from a file (- for stdin)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l timeout -d 'How long --wait may take' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l stimulus -d 'Ensembles: deliver the stimulus (spec.stimulus) to the agent config its relationship names, now'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l wait -d 'Wait for the run to end, print its result; exit 0 on Succeeded, 1 on Failed'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand run" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l tail -d 'Lines of the end of the log to show (-1: all)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -s f -l follow -d 'Follow the log while the run runs; return when it ends'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l raw -d 'Print the agent\'s bytes as they are, control sequences included (a pipe always gets them so)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand logs" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l persona -d 'Only these personas (comma-separated or repeated); default: every active persona with seeds' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand seed" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -s o -l output -d 'Output format: json or yaml (the findings, and the worst level)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand check" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s f -l filename -d 'Convert PersonaPacks from YAML or JSON files, directories or "-" (stdin), offline, and print Ensembles (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l dry-run -d 'Print what would be written (Secret values redacted) instead of writing; server also has the server validate it' -r -f -a "none\t''
client\t''
server\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s o -l output -d 'The Ensembles as json|yaml (with -f: yaml by default; in the cluster, with --dry-run)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l timeout -d 'How long to wait for each old object\'s deletion to finish' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s A -l all-namespaces -d 'Every PersonaPack, in every namespace'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand migrate" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand completion" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l kubeconfig -d 'Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l request-timeout -d 'How long to wait for each server request (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l tls-server-name -d 'Server name to use for server certificate validation' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -s v -l v -d 'Log level, as kubectl\'s -v: 6 and above log each API request (7 headers, 8 bodies)' -r
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l kind -d 'Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)' -r -f -a "personapack\t''
ensemble\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l cache-dir -d 'Default cache directory (discovery of the Sympozium API is cached there, per server)' -r -F
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l color -d 'When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -l disable-compression -d 'If true, opt-out of response compression for all requests to the server'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand options" -s h -l help -d 'Print help'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "list" -d 'List PersonaPacks: enabled, personas, installed, phase'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "describe" -d 'Show a PersonaPack in detail: settings, personas, status, events'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "status" -d 'Show the live state of a pack\'s agents, or wait for it to be Ready/Inactive'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "enable" -d 'Enable a pack (wizard on a terminal, or flags): credentials, settings, then the team comes up'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "disable" -d 'Disable a pack (the controller deletes its agents and managed credentials), or exclude personas'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "suspend" -d 'Pause a team: suspend its schedules (spec.suspend), nothing deleted, memory kept'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "resume" -d 'Resume a suspended team: its schedules run again'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "tree" -d 'Show everything a pack generated as an ownership tree, with health'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "render" -d 'Print the objects the Sympozium controller stamps for a pack (offline with -f)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "diff" -d 'Compare a pack\'s live agents with what the controller would stamp now (exit 1 if they differ)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "runs" -d 'Show what the team\'s agents ran, what it cost, and one run in full'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "run" -d 'Start a run of a persona now (as Sympozium\'s web UI does), optionally waiting for its verdict'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "logs" -d 'Print (or follow) the agent\'s log of a persona\'s latest run, or of one run'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "seed" -d 'Write personas\' memory seeds that Sympozium never wrote (only into untouched memory)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "check" -d 'Check the cluster before and after an upgrade: API served, leftovers, controller, missing references (exit 1 on a problem)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "migrate" -d 'Carry PersonaPacks across the upgrade to Ensembles (memory and credentials kept), or convert manifests (-f)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell)'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "options" -d 'Print the list of flags inherited by all commands'
complete -c kubectl-personapack -n "__fish_kubectl_personapack_using_subcommand help; and not __fish_seen_subcommand_from list describe status enable disable suspend resume tree render diff runs run logs seed check migrate completion options help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
