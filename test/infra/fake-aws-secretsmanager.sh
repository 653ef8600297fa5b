# A stand-in for `aws secretsmanager`, sourced by test/infra/secret-recipes.test.ts before a docs/deploy.md recipe
# runs: create-secret and put-secret-value (the value only from a file, never an argument; at least 1 character, as
# Secrets Manager requires) and get-secret-value as text. Secrets are files in $AWS_FAKE_STORE named after the
# secret ("/" as "+"). Anything else fails loudly.
aws() {
  if [ "$1" != secretsmanager ]; then echo "doc test: only aws secretsmanager is faked" >&2; return 252; fi
  local op=$2 id= value= query= output=
  shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      --region) shift 2 ;;
      --secret-id|--name) id=$2; shift 2 ;;
      --secret-string) value=$2; shift 2 ;;
      --query) query=$2; shift 2 ;;
      --output) output=$2; shift 2 ;;
      *) echo "doc test: aws option $1 is not faked" >&2; return 252 ;;
    esac
  done
  local stored="$AWS_FAKE_STORE/${id//\//+}" src
  case $op in
    create-secret|put-secret-value)
      case $value in file://*) src=${value#file://} ;; *) echo "doc test: --secret-string must be file://" >&2; return 252 ;; esac
      if [ ! -s "$src" ]; then echo "An error occurred (ValidationException): empty SecretString" >&2; return 252; fi
      if [ "$op" = create-secret ] && [ -e "$stored" ]; then echo "An error occurred (ResourceExistsException)" >&2; return 254; fi
      if [ "$op" = put-secret-value ] && [ ! -e "$stored" ]; then echo "An error occurred (ResourceNotFoundException)" >&2; return 254; fi
      cat "$src" > "$stored" ;;
    get-secret-value)
      if [ "$query/$output" != SecretString/text ]; then echo "doc test: only --query SecretString --output text" >&2; return 252; fi
      if [ ! -e "$stored" ]; then echo "An error occurred (ResourceNotFoundException)" >&2; return 254; fi
      cat "$stored"; echo ;;
    *) echo "doc test: aws secretsmanager $op is not faked" >&2; return 252 ;;
  esac
}
