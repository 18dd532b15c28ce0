# bash completion for xtsync                                  -*- shell-script -*-
#
# Install: copy to /usr/share/bash-completion/completions/xtsync, or source it
# from ~/.bashrc. Works with or without the bash-completion package.
# Keep in step with cmd/*.cpp (tests/unit/test_docs_consistency.cpp checks it).

_xtsync() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    local commands='get set delete restore list export apply list-deleted purge auth login logout'

    # Global options, accepted before or after the command name.
    local global_value_opts='-o --output --api-version --cloud --graph-url --authority-url --ca-file --timeout --max-retries --access-token-file --auth --tenant --client-id --client-secret-file --certificate-algorithm'
    local global_flags='-h --help --version --debug -q --quiet --no-color'

    # Options of each command that take a value.
    local set_value_opts='--display-name --user-sync --group-sync --external-cloud-app-id --from-file'

    local value_opts="$global_value_opts $set_value_opts"

    # Find the command: the first word that is neither an option nor an option's value,
    # and for "auth" the subcommand after it.
    local command="" subcommand="" i word
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --*=* | =) ;;
            -*)
                if [[ " $value_opts " == *" $word "* ]]; then
                    # bash may split "--opt=VALUE" into "--opt" "=" "VALUE".
                    if [[ ${COMP_WORDS[i + 1]} == = ]]; then
                        ((i += 2))
                    else
                        ((i++))
                    fi
                fi
                ;;
            *)
                if [[ -z $command ]]; then
                    command=$word
                elif [[ $command == auth && -z $subcommand ]]; then
                    subcommand=$word
                fi
                ;;
        esac
    done

    # The value being completed: "--opt VALUE" or "--opt=VALUE". Whether bash splits the
    # latter at "=" depends on COMP_WORDBREAKS, so handle both.
    local opt=$prev value=$cur prefix=
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        value=${cur#*=}
        prefix=$opt=
    elif [[ $cur == = ]]; then
        value=
    elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    case $opt in
        -o | --output)
            mapfile -t COMPREPLY < <(compgen -W 'table json tsv' -P "$prefix" -- "$value")
            return 0
            ;;
        --api-version)
            mapfile -t COMPREPLY < <(compgen -W 'beta v1.0' -P "$prefix" -- "$value")
            return 0
            ;;
        --cloud)
            mapfile -t COMPREPLY < <(compgen -W 'global usgov usgov-dod china' -P "$prefix" -- "$value")
            return 0
            ;;
        --auth)
            mapfile -t COMPREPLY < <(compgen -W 'token client-secret client-certificate workload-identity github-oidc managed-identity device-code azure-cli' -P "$prefix" -- "$value")
            return 0
            ;;
        --certificate-algorithm)
            mapfile -t COMPREPLY < <(compgen -W 'PS256 RS256' -P "$prefix" -- "$value")
            return 0
            ;;
        --user-sync | --group-sync)
            mapfile -t COMPREPLY < <(compgen -W 'allow block' -P "$prefix" -- "$value")
            return 0
            ;;
        --ca-file | --access-token-file | --client-secret-file | --from-file)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -P "$prefix" -- "$value")
            return 0
            ;;
        --graph-url | --authority-url | --timeout | --max-retries | --tenant | --client-id | --display-name | --external-cloud-app-id)
            # Free-form values: nothing to offer.
            return 0
            ;;
    esac

    if [[ $cur == -* ]]; then
        local candidates="$global_value_opts $global_flags"
        case $command in
            get) candidates+=' --deleted' ;;
            set) candidates+=" $set_value_opts --create-partner --dry-run" ;;
            purge) candidates+=' -y --yes' ;;
            apply) candidates+=' -f --file --dry-run --detailed-exitcode --create-partners --prune -y --yes --parallel' ;;
            logout) candidates+=' --all' ;;
        esac
        mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$cur")
        return 0
    fi

    if [[ -z $command ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
    elif [[ $command == auth && -z $subcommand ]]; then
        mapfile -t COMPREPLY < <(compgen -W 'status' -- "$cur")
    fi
    # Otherwise the only positional is TENANT, a GUID: nothing to offer.
    return 0
}

complete -F _xtsync xtsync
